// Generates src/api/schema.ts (the API's TypeScript types) from openapi.json, the contract
// exported by `fortress openapi`. With --check, writes nothing and fails when the committed
// file differs from what the contract generates, so a stale client cannot pass the tests.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const root = new URL("../", import.meta.url);
const contract = new URL("openapi.json", root);
const target = new URL("src/api/schema.ts", root);
const banner =
  "// Generated from web/openapi.json by `npm run gen` (openapi-typescript). Do not edit.\n\n";

// enumValues: every enum of the contract is also exported as an array of its values
// (`importableLeadFieldValues`), so the screens offer the choices the API declares.
const ast = await openapiTS(JSON.parse(await readFile(contract, "utf8")), { enumValues: true });
const generated = banner + astToString(ast);

if (process.argv.includes("--check")) {
  const committed = await readFile(target, "utf8").catch(() => "");
  if (committed !== generated) {
    console.error(
      `${fileURLToPath(target)} is stale: web/openapi.json changed. Run \`npm run gen\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log("src/api/schema.ts matches web/openapi.json");
} else {
  await writeFile(target, generated);
  console.log(`wrote ${fileURLToPath(target)}`);
}
