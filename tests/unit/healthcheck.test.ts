// scripts/healthcheck.mjs, the container's HEALTHCHECK: healthy while the server answers its health
// report (ok, starting, or degraded: a restart fixes nothing outside the container), unhealthy when
// it does not answer, hangs, or answers anything else; --strict also fails on degraded.
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const script = path.join(__dirname, "..", "..", "scripts", "healthcheck.mjs");

type Reply = { status: number; body: string } | "hang";
let reply: Reply = { status: 200, body: "{}" };
let seen: { url?: string; host?: string } = {};
const server = http.createServer((request, response) => {
  seen = { url: request.url, host: request.headers.host };
  if (reply === "hang") return;
  response.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Runs the check as the image does (HOST=0.0.0.0), asynchronously so that the server can answer. */
function run(args: string[] = [], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        HOST: "0.0.0.0",
        PORT: String(port),
        ...env,
      },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code, output: output.trim() }));
  });
}

const report = (status: string, extra: object = {}) => JSON.stringify({ status, ...extra });

it("is healthy when the server reports ok or starting, asking loopback for /api/health", async () => {
  reply = { status: 200, body: report("ok") };
  expect(await run()).toEqual({ code: 0, output: "healthy: ok" });
  expect(seen).toEqual({ url: "/api/health", host: `127.0.0.1:${port}` });
  reply = { status: 200, body: report("starting") };
  expect(await run()).toEqual({ code: 0, output: "healthy: starting" });
});

it("is healthy when degraded, naming why, and unhealthy then with --strict", async () => {
  reply = {
    status: 503,
    body: report("degraded", { storage: { ready: false, error: "Storage is unreachable." } }),
  };
  expect(await run()).toEqual({ code: 0, output: "healthy: degraded (storage: Storage is unreachable.)" });
  expect(await run(["--strict"])).toEqual({
    code: 1,
    output: "unhealthy: degraded (storage: Storage is unreachable.)",
  });
});

it("is unhealthy on any other reply", async () => {
  reply = { status: 500, body: "oops" };
  expect(await run()).toMatchObject({ code: 1, output: expect.stringContaining("answered 500") });
  reply = { status: 200, body: "<html>not the report</html>" };
  expect(await run()).toMatchObject({ code: 1, output: expect.stringContaining("answered 200") });
  reply = { status: 503, body: report("ok") };
  expect(await run()).toMatchObject({ code: 1 });
});

it("is unhealthy when nothing answers in time or nothing listens", async () => {
  reply = "hang";
  const started = Date.now();
  expect(await run(["--timeout=0.5"])).toMatchObject({
    code: 1,
    output: expect.stringContaining("no answer within 500 ms"),
  });
  expect(Date.now() - started).toBeLessThan(5_000);
  const closed = spawnSync(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", PORT: "1" },
  });
  expect(closed.status).toBe(1);
  expect(closed.stdout.toString()).toMatch(/^unhealthy: http:\/\/127\.0\.0\.1:1\/api\/health: /);
});

it("asks the address the server listens on when HOST names one", async () => {
  reply = { status: 200, body: report("ok") };
  expect(await run([], { HOST: "127.0.0.1" })).toEqual({ code: 0, output: "healthy: ok" });
});
