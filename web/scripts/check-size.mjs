// Measures the initial JavaScript of the build: the scripts dist/index.html loads, and the
// modules they preload, gzipped. Fails above the budget (docs/benchmarks.md, "Web UI").
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 400;
const dist = new URL("../dist/", import.meta.url);

const html = await readFile(new URL("index.html", dist), "utf8");
const scripts = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/([^"]+\.js)"/g)].map(
  (m) => m[1],
);
if (scripts.length === 0) throw new Error("dist/index.html loads no script: run `npm run build` first");

let totalKb = 0;
for (const script of scripts) {
  const kb = gzipSync(await readFile(new URL(script, dist))).length / 1024;
  totalKb += kb;
  console.log(`${script}: ${kb.toFixed(1)} KB gzipped`);
}
console.log(`initial JS: ${totalKb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (totalKb > BUDGET_KB) process.exit(1);
