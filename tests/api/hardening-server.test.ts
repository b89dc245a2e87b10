// The real server (server.ts with the Next.js production build, built first if missing or
// stale) attacked the way issue 12 found it open: headers and CSP on pages and API replies,
// cross-site requests, DNS rebinding, unknown methods, malformed addresses, slow and stalled
// clients, request ids, and memory under hostile input.
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded } from "../../scripts/build-if-needed";
import { projectRoot, startTestServer, type AppProcess } from "../helpers/app-process";
import { readFixture } from "../helpers/api";
import { freePorts } from "../helpers/storage";

const publicOrigin = "https://transcribe.example.com";
let server: AppProcess;
let port: number;
let dataDir: string;
let base: string;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with exactly these headers (Host included: fetch would not let a test set it). */
function send(
  method: string,
  pathname: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: pathname,
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

/** A reply's error envelope. */
function envelope(reply: Reply): { code: string; message: string; requestId?: string } {
  expect(reply.headers["content-type"]).toMatch(/application\/json/);
  return (JSON.parse(reply.body) as { error: { code: string; message: string; requestId?: string } }).error;
}

/** Raw bytes on a socket: resolves with what came back and how long until the server closed it. */
function raw(text: string, waitMs = 15_000): Promise<{ reply: string; closedAfterMs: number | null }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let reply = "";
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
    socket.on("data", (chunk: Buffer) => (reply += chunk.toString()));
    socket.on("error", () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ reply, closedAfterMs: null });
    }, waitMs);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ reply, closedAfterMs: Date.now() - started });
    });
  });
}

function expectSecurityHeaders(reply: Reply): void {
  expect(reply.headers["x-frame-options"]).toBe("DENY");
  expect(reply.headers["x-content-type-options"]).toBe("nosniff");
  expect(reply.headers["referrer-policy"]).toBe("same-origin");
  expect(reply.headers["permissions-policy"]).toMatch(/microphone=\(self\)/);
  expect(reply.headers["permissions-policy"]).toMatch(/camera=\(\)/);
  expect(reply.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(reply.headers["x-request-id"]).toMatch(/^[A-Za-z0-9._:-]{8,64}$/);
}

function multipartAudio(): { body: Buffer; type: string } {
  const boundary = "----cross-site-form";
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nen-US\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="jfk.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
    ),
    readFixture("jfk.wav"),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

async function recordingCount(): Promise<number> {
  const reply = await send("GET", "/api/recordings?limit=100");
  expect(reply.status).toBe(200);
  return (JSON.parse(reply.body) as { items: unknown[] }).items.length;
}

/** Peak and current resident memory of the server process, in MB. */
function memory(): { peakMb: number; rssMb: number } {
  const status = fs.readFileSync(`/proc/${server.pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { peakMb: Math.round(kb("VmHWM") / 1024), rssMb: Math.round(kb("VmRSS") / 1024) };
}

beforeAll(async () => {
  buildIfNeeded(projectRoot);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-hardening-server-"));
  const [blob, queue, table, http] = await freePorts(4);
  const started = await startTestServer({
    entry: "tests/helpers/next-server.ts",
    dataDir,
    ports: { blob: blob!, queue: queue!, table: table! },
    env: {
      NODE_ENV: "production",
      PORT: String(http),
      HOST: "127.0.0.1",
      SPEECH_PRELOAD: "true",
      PUBLIC_ORIGINS: publicOrigin,
      HEADERS_TIMEOUT_SEC: "2",
      BODY_IDLE_TIMEOUT_SEC: "2",
      UPLOADS_PER_CLIENT: "100",
    },
    timeoutMs: 120_000,
  });
  server = started.process;
  port = started.port;
  base = `127.0.0.1:${port}`;
}, 600_000);

afterAll(async () => {
  server?.kill("SIGTERM");
  await server?.exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("headers", () => {
  it.each(["/", "/recordings", "/outbox", "/transcripts/2d1zk5hl3lc6o40b4", "/no-such-page"])(
    "page %s: a nonce CSP that every script carries, and the other headers",
    async (pathname) => {
      const reply = await send("GET", pathname);
      expect([200, 404]).toContain(reply.status);
      expect(reply.headers["content-type"]).toMatch(/text\/html/);
      expectSecurityHeaders(reply);
      const policy = reply.headers["content-security-policy"] as string;
      const scriptSrc = /script-src ([^;]+)/.exec(policy)?.[1] ?? "";
      expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
      expect(nonce).toBeDefined();
      expect(policy).toMatch(/object-src 'none'/);
      expect(policy).toMatch(/base-uri 'none'/);
      expect(policy).toMatch(/worker-src 'self' blob:/);
      expect(policy).toContain(`connect-src 'self' ws://${base} wss://${base}`);
      const scripts = [...reply.body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      // A fresh nonce each time.
      const again = await send("GET", pathname);
      expect(again.headers["content-security-policy"]).not.toBe(policy);
    },
  );

  it.each([
    ["GET", "/api/health"],
    ["GET", "/api/recordings?limit=oops"],
    ["GET", "/api/no-such-route"],
    ["GET", "/api/recordings/2d1zk5hl3lc6o40b4/audio"],
    ["GET", "/api/transcriptions/export.csv"],
  ])("API reply %s %s: the same headers and a CSP that loads nothing", async (method, pathname) => {
    const reply = await send(method, pathname);
    expectSecurityHeaders(reply);
    expect(reply.headers["content-security-policy"]).toMatch(/^default-src 'none'/);
    if (reply.status >= 400) expect(envelope(reply).requestId).toBe(reply.headers["x-request-id"]);
  });

  it("static files get the headers too (they are framed by nothing and never sniffed)", async () => {
    const reply = await send("GET", "/live-capture-worklet.js");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
    expect(reply.headers["x-frame-options"]).toBe("DENY");
  });
});

describe("methods and addresses", () => {
  it("answers TRACE with 405, the envelope and Allow", async () => {
    const reply = await send("TRACE", "/api/health");
    expect(reply.status).toBe(405);
    expect(envelope(reply).code).toBe("method_not_allowed");
    expect(reply.headers.allow).toBe("GET, HEAD, OPTIONS");
    expectSecurityHeaders(reply);
  });

  it("answers a method a route lacks (PATCH, POST) with 405, the envelope and the route's Allow", async () => {
    const patch = await send("PATCH", "/api/transcriptions/2d1zk5hl3lc6o40b4", {
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(patch.status).toBe(405);
    expect(envelope(patch).code).toBe("method_not_allowed");
    expect(patch.headers.allow?.split(", ").sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "PUT"]);
    const post = await send("POST", "/api/health");
    expect(post.status).toBe(405);
    expect(envelope(post).code).toBe("method_not_allowed");
    const page = await send("DELETE", "/recordings");
    expect(page.status).toBe(405);
    expect(envelope(page).code).toBe("method_not_allowed");
  });

  it("answers a malformed %-escape with 400 and the envelope, not 500", async () => {
    for (const pathname of [
      "/api/transcriptions/%E0%A4%A",
      "/api/recordings/%ZZ/audio",
      "/transcripts/%E0%A4%A",
    ]) {
      const reply = await send("GET", pathname);
      expect({ pathname, status: reply.status }).toEqual({ pathname, status: 400 });
      expect(envelope(reply).code).toBe("bad_request");
    }
  });

  it("answers an unknown API path with the 404 envelope", async () => {
    const reply = await send("GET", "/api/transcriptionz");
    expect(reply.status).toBe(404);
    expect(envelope(reply).code).toBe("not_found");
  });
});

describe("Host (DNS rebinding)", () => {
  it("refuses a name that is not this server's with 421, pages and API alike", async () => {
    for (const pathname of ["/api/recordings", "/", "/api/outbox"]) {
      const reply = await send("GET", pathname, { headers: { host: `rebind.evil.example:${port}` } });
      expect({ pathname, status: reply.status }).toEqual({ pathname, status: 421 });
      expect(envelope(reply).code).toBe("misdirected_request");
      expect(reply.body).not.toContain("items");
    }
  });

  it("answers loopback names, IP addresses and the configured public origin", async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, "transcribe.example.com"]) {
      const reply = await send("GET", "/api/recordings", { headers: { host } });
      expect({ host, status: reply.status }).toEqual({ host, status: 200 });
    }
  });

  it("refuses a rebinding WebSocket upgrade and one from another site's page", async () => {
    const upgrade = (headers: string, waitMs = 5000) =>
      raw(
        `GET /api/live HTTP/1.1\r\n${headers}Connection: Upgrade\r\nUpgrade: websocket\r\n` +
          "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        waitMs,
      );
    const rebinding = await upgrade(`Host: rebind.evil.example:${port}\r\n`);
    expect(rebinding.reply).toMatch(/^HTTP\/1\.1 421 /);
    expect(rebinding.reply).toContain('"code":"misdirected_request"');
    const crossSite = await upgrade(`Host: ${base}\r\nOrigin: https://evil.example\r\n`);
    expect(crossSite.reply).toMatch(/^HTTP\/1\.1 403 /);
    expect(crossSite.reply).toContain('"code":"cross_site"');
    // The site's own page gets its socket (which stays open: the probe lets go after a moment).
    const own = await upgrade(`Host: ${base}\r\nOrigin: http://${base}\r\n`, 500);
    expect(own.reply).toMatch(/^HTTP\/1\.1 101 /);
  });
});

describe("cross-site requests replayed through the server", () => {
  it("a no-cors multipart POST from another site creates no recording", async () => {
    const before = await recordingCount();
    const form = multipartAudio();
    const reply = await send("POST", "/api/transcriptions", {
      headers: {
        "content-type": form.type,
        "sec-fetch-site": "cross-site",
        "sec-fetch-mode": "no-cors",
        origin: "https://evil.example",
      },
      body: form.body,
    });
    expect(reply.status).toBe(403);
    expect(envelope(reply).code).toBe("cross_site");
    expect(await recordingCount()).toBe(before);
  });

  it("a text/plain POST to the summary and to the e-mail route is refused", async () => {
    const id = "2d1zk5hl3lc6o40b4";
    const plain = { "content-type": "text/plain;charset=UTF-8" };
    for (const pathname of [`/api/transcriptions/${id}/summary`, `/api/transcriptions/${id}/email`]) {
      const foreign = await send("POST", pathname, {
        headers: { ...plain, "sec-fetch-site": "cross-site", origin: "https://evil.example" },
        body: '{"to":"victim@example.com"}',
      });
      expect(envelope(foreign).code).toBe("cross_site");
      const unmarked = await send("POST", pathname, { headers: plain, body: '{"to":"victim@example.com"}' });
      expect(unmarked.status).toBe(415);
      expect(envelope(unmarked).code).toBe("unsupported_media_type");
    }
  });

  it("a page of a sibling origin (same-site) is refused; the configured public origin is not", async () => {
    const sibling = await send("DELETE", "/api/recordings/2d1zk5hl3lc6o40b4", {
      headers: { "sec-fetch-site": "same-site", origin: "http://other.localhost:3000" },
    });
    expect(envelope(sibling).code).toBe("cross_site");
    const published = await send("DELETE", "/api/recordings/2d1zk5hl3lc6o40b4", {
      headers: { host: "transcribe.example.com", "sec-fetch-site": "same-origin", origin: publicOrigin },
    });
    expect(published.status).toBe(404);
  });
});

describe("request ids", () => {
  it("echoes a safe x-request-id, replaces an unsafe one, and logs the request under it", async () => {
    const traced = await send("TRACE", "/api/health", { headers: { "x-request-id": "trace-abcdef-123" } });
    expect(traced.headers["x-request-id"]).toBe("trace-abcdef-123");
    expect(envelope(traced).requestId).toBe("trace-abcdef-123");
    await server.waitForLine(
      (line) => line.message === "request refused" && line.requestId === "trace-abcdef-123",
      5000,
      "the refusal's log line",
    );
    const unsafe = await send("GET", "/api/health", {
      headers: { "x-request-id": "<script>alert(1)</script>" },
    });
    expect(unsafe.headers["x-request-id"]).not.toContain("script");
  });
});

describe("slow and stalled clients", () => {
  it("closes a connection whose headers never finish (408 envelope)", async () => {
    const { reply, closedAfterMs } = await raw(`GET /api/health HTTP/1.1\r\nHost: ${base}\r\nX-Slow: 1`);
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(10_000);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(reply).toContain('"code":"request_timeout"');
  });

  it("abandons an upload whose body stalls (408) and closes its connection", async () => {
    const boundary = "stall";
    const { reply, closedAfterMs } = await raw(
      `POST /api/transcriptions HTTP/1.1\r\nHost: ${base}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: 1000000\r\n\r\n--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\nRIFF`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(reply).toContain('"code":"request_timeout"');
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(10_000);
  });

  it("abandons a JSON body that stalls the same way", async () => {
    const { reply, closedAfterMs } = await raw(
      `PUT /api/transcriptions/2d1zk5hl3lc6o40b4 HTTP/1.1\r\nHost: ${base}\r\nContent-Type: application/json\r\n` +
        `If-Match: "x"\r\nContent-Length: 5000\r\n\r\n{"text":"`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).not.toBeNull();
  });
});

describe("memory under hostile input", () => {
  it("stays within 700 MB RSS while refusing huge, stalled and malformed requests, and keeps answering", async () => {
    const huge = Buffer.alloc(50 * 1024 * 1024, 0x61);
    const jsonPut = (chunked: boolean) =>
      new Promise<number>((resolve) => {
        const request = http.request(
          {
            host: "127.0.0.1",
            port,
            method: "PUT",
            path: "/api/transcriptions/2d1zk5hl3lc6o40b4",
            headers: {
              host: base,
              "content-type": "application/json",
              "if-match": '"x"',
              ...(chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(huge.length) }),
            },
          },
          (response) => {
            response.resume();
            response.on("end", () => resolve(response.statusCode ?? 0));
          },
        );
        request.on("error", () => resolve(-1));
        request.end(huge);
      });
    const stalled = Array.from({ length: 30 }, () =>
      raw(
        `POST /api/transcriptions HTTP/1.1\r\nHost: ${base}\r\nContent-Type: multipart/form-data; boundary=b\r\n` +
          `Content-Length: 300000000\r\n\r\n--b\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\nRIFF`,
      ),
    );
    const statuses = await Promise.all([
      ...Array.from({ length: 10 }, () => jsonPut(false)),
      ...Array.from({ length: 10 }, () => jsonPut(true)),
      ...Array.from({ length: 20 }, () =>
        send("GET", "/api/transcriptions/%E0%A4%A").then((reply) => reply.status),
      ),
      ...Array.from({ length: 20 }, () => send("TRACE", "/").then((reply) => reply.status)),
    ]);
    // A refused body may be cut off mid-send (-1) once the answer is out; none is accepted.
    expect(statuses.filter((status) => status < 400 && status !== -1)).toEqual([]);
    expect(statuses.filter((status) => status === 413).length).toBeGreaterThanOrEqual(10);
    for (const { reply } of await Promise.all(stalled)) expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    const health = await send("GET", "/api/health");
    expect([200, 503]).toContain(health.status);
    // The peak since start-up, the speech model's load included (about 610 MB here).
    const { peakMb, rssMb } = memory();
    expect(rssMb).toBeLessThanOrEqual(peakMb);
    expect(peakMb).toBeLessThanOrEqual(700);
  }, 120_000);
});
