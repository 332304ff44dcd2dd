// Runs the real `fortress` binary for the browser test: a fresh database, its own Redis key
// prefix, its own object store directory (the projects' layers and scripts), a mail sink, `fortress worker` and `fortress serve` on free ports, serving
// web/dist. Everything is stopped, and the database, Redis keys and mail dropped, by `stop()`.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const PG = process.env.E2E_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432";
const READY_TIMEOUT_MS = 30_000;

/** A port nothing listens on now (for a server to bind, or for a connection to be refused). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function psql(sql) {
  await run("psql", [`${PG}/postgres`, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql]);
}

function spawnFortress(bin, args, env, logs) {
  const child = spawn(bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk) => logs.push(chunk.toString()));
  child.stderr.on("data", (chunk) => logs.push(chunk.toString()));
  return child;
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

async function dropRedisKeys(url, prefix) {
  const { stdout } = await run("redis-cli", ["-u", url, "--scan", "--pattern", `${prefix}*`]);
  const keys = stdout.split("\n").filter(Boolean);
  if (keys.length > 0) await run("redis-cli", ["-u", url, "DEL", ...keys]);
}

/** Polls /ready until it answers 200; fails at once if the server exits. */
async function waitReady(url, child) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`fortress serve exited with ${child.exitCode}`);
    const status = await fetch(`${url}/ready`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url}/ready did not answer 200 within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A message's headers and its body, the body decoded from its transfer encoding. */
function decodeMail(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const [headers, body] = [raw.slice(0, split), raw.slice(split).trim()];
  const encoding = headers.match(/^content-transfer-encoding:\s*(\S+)/im)?.[1]?.toLowerCase();
  if (encoding === "base64") return `${headers}\n\n${Buffer.from(body, "base64").toString("utf8")}`;
  if (encoding === "quoted-printable") {
    const text = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    return `${headers}\n\n${text}`;
  }
  return raw;
}

export async function startFortress({ bin, webDist }) {
  const database = `df_web_e2e_${process.pid}_${Date.now()}`;
  const [port, smtpPort] = [await freePort(), await freePort()];
  const mailDir = await mkdtemp(join(tmpdir(), "df-web-e2e-mail-"));
  // The local object store defaults to .data/objects under the working directory: a fresh one
  // per run keeps uploads of earlier runs out of the layers browser and out of the checkout.
  const objectsDir = await mkdtemp(join(tmpdir(), "df-web-e2e-objects-"));
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    APP_ENV: "dev",
    HTTP_ADDR: `127.0.0.1:${port}`,
    PUBLIC_URL: url,
    DATABASE_URL: `postgres://fortress_app@127.0.0.1:5432/${database}`,
    DATABASE_OWNER_URL: `${PG}/${database}`,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_PREFIX: `df-web-e2e-${process.pid}:`,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    OBJECTS_DIR: objectsDir,
    WEB_DIST: webDist,
    RUST_LOG: "warn",
    LOG_FORMAT: "json",
  };
  const logs = [];
  const children = [];

  await psql(`CREATE DATABASE "${database}"`);
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await psql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await dropRedisKeys(env.REDIS_URL, env.REDIS_PREFIX);
    await rm(mailDir, { recursive: true, force: true });
    await rm(objectsDir, { recursive: true, force: true });
  };

  try {
    await run(bin, ["migrate"], { env });
    // The demo agency without the slices' demo data: the steps start from an empty CRM.
    await run(bin, ["demo", "--only", "auth"], { env });
    children.push(spawnFortress(bin, ["mail-sink", "--addr", `127.0.0.1:${smtpPort}`, "--dir", mailDir], env, logs));
    // The worker runs the jobs: lead imports, webhook deliveries, flow executions.
    children.push(spawnFortress(bin, ["worker"], env, logs));
    const serve = spawnFortress(bin, ["serve"], env, logs);
    children.push(serve);
    await waitReady(url, serve);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n--- fortress output ---\n${logs.join("")}`);
  }

  return {
    url,
    /** The mail sink's port on 127.0.0.1 (the server's SMTP_URL), for outreach mailboxes. */
    smtpPort,
    logs,
    stop,
    /**
     * Publishes a live event to a tenant as a slice does in its transaction (the outbox insert
     * of kernel::events::publish), then wakes the SSE hub through Redis as notify_committed
     * does. Here as the table owner, for the screens whose API publishes no event yet.
     */
    async publishEvent(tenantSlug, channel, type, payload) {
      const literal = (value) => `'${String(value).replaceAll("'", "''")}'`;
      const { stdout } = await run("psql", [
        `${PG}/${database}`,
        "-XAtq",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        `WITH bumped AS (
           INSERT INTO event_sequences (tenant_id, last_seq)
           SELECT id, 1 FROM tenants WHERE slug = ${literal(tenantSlug)}
           ON CONFLICT (tenant_id) DO UPDATE SET last_seq = event_sequences.last_seq + 1
           RETURNING tenant_id, last_seq)
         INSERT INTO events (tenant_id, seq, channel, type, payload)
         SELECT tenant_id, last_seq, ${literal(channel)}, ${literal(type)}, ${literal(JSON.stringify(payload))}::jsonb
         FROM bumped RETURNING tenant_id || ' ' || seq`,
      ]);
      const [tenant, seq] = stdout.trim().split(" ");
      await run("redis-cli", ["-u", env.REDIS_URL, "PUBLISH", `${env.REDIS_PREFIX}events:${tenant}`, seq]);
    },
    /** The newest mail sent to `to` whose text matches `pattern`, polling until it arrives. */
    async mailTo(to, pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const name of (await readdir(mailDir)).sort().reverse()) {
          const text = decodeMail(await readFile(join(mailDir, name), "utf8"));
          const found = text.includes(to) && text.match(pattern);
          if (found) return found;
        }
        if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${pattern} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
