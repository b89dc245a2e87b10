// The pure parts of the server's protections: which hosts and origins are this site's, which
// requests count as cross-site, which methods each API route answers, request ids, headers.
import fs from "node:fs";
import path from "node:path";
import { apiRouteMethods, apiRoutes } from "@/lib/http/api-routes";
import { checkCrossSite, checkHost, isKnownHost, type OriginPolicy } from "@/lib/http/origin-checks";
import { isSafeRequestId, requestIdFor } from "@/lib/http/request-id";
import { pageContentSecurityPolicy } from "@/lib/http/security-headers";
import { AppError } from "@/lib/domain/errors";

const local: OriginPolicy = { publicOrigins: [], trustProxy: false, localNames: ["buildbox"] };
const published: OriginPolicy = {
  publicOrigins: ["https://transcribe.example.com"],
  trustProxy: true,
  localNames: [],
};

const headers =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name];

describe("Host check (DNS rebinding)", () => {
  it.each([
    "localhost:3000",
    "LOCALHOST",
    "app.localhost:3000",
    "127.0.0.1:3000",
    "[::1]:3000",
    "192.168.1.20:3000",
    "buildbox:3000",
  ])("accepts this machine's own name or address %s", (host) => {
    expect(isKnownHost(host.toLowerCase(), local)).toBe(true);
  });

  it.each(["evil.example:3000", "evil.example", "127.0.0.1.evil.example", "localhost.evil.example:3000"])(
    "refuses a name someone else controls: %s",
    (host) => {
      expect(isKnownHost(host, local)).toBe(false);
      const error = checkHost(headers({ host }), local);
      expect(error).toBeInstanceOf(AppError);
      expect(error?.status).toBe(421);
    },
  );

  it("accepts the configured public origins, default ports included, and the forwarded host behind a trusted proxy", () => {
    expect(checkHost(headers({ host: "transcribe.example.com" }), published)).toBeNull();
    expect(checkHost(headers({ host: "transcribe.example.com:443" }), published)).toBeNull();
    expect(
      checkHost(
        headers({
          host: "10.0.0.4:3000",
          "x-forwarded-host": "transcribe.example.com",
          "x-forwarded-proto": "https",
        }),
        published,
      ),
    ).toBeNull();
    expect(checkHost(headers({ host: "other.example.com" }), published)?.code).toBe("misdirected_request");
    // Without TRUST_PROXY a forwarded host is not believed.
    expect(checkHost(headers({ host: "evil.example", "x-forwarded-host": "127.0.0.1" }), local)?.code).toBe(
      "misdirected_request",
    );
  });

  it("refuses a request without a Host", () => {
    expect(checkHost(headers({}), local)?.code).toBe("misdirected_request");
  });
});

describe("cross-site requests", () => {
  const host = "127.0.0.1:3000";

  it("lets reads through whatever their origin", () => {
    expect(
      checkCrossSite(
        "GET",
        headers({ host, origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
        local,
      ),
    ).toBeNull();
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"])("refuses a %s another site's page sent", (method) => {
    const attempts: Array<Record<string, string>> = [
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "same-site", origin: "http://other.127.0.0.1.nip.io:3000" },
      { "sec-fetch-site": "same-site" },
      { origin: "http://127.0.0.1:4000" },
    ];
    for (const sent of attempts) {
      const error = checkCrossSite(method, headers({ host, ...sent }), local);
      expect({ sent, code: error?.code, status: error?.status }).toEqual({
        sent,
        code: "cross_site",
        status: 403,
      });
    }
  });

  it("accepts this site's own pages and clients that are not browsers", () => {
    expect(checkCrossSite("POST", headers({ host, origin: "http://127.0.0.1:3000" }), local)).toBeNull();
    expect(
      checkCrossSite(
        "POST",
        headers({ host, origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" }),
        local,
      ),
    ).toBeNull();
    expect(checkCrossSite("DELETE", headers({ host }), local)).toBeNull();
    expect(checkCrossSite("POST", headers({ host, "sec-fetch-site": "none" }), local)).toBeNull();
  });

  it("accepts a configured public origin, also when a proxy changes the Host", () => {
    expect(
      checkCrossSite(
        "POST",
        headers({
          host: "10.0.0.4:3000",
          origin: "https://transcribe.example.com",
          "sec-fetch-site": "same-origin",
        }),
        published,
      ),
    ).toBeNull();
  });

  it("checks WebSocket upgrades (a GET) too", () => {
    expect(
      checkCrossSite("GET", headers({ host, origin: "https://evil.example" }), local, { upgrade: true })
        ?.code,
    ).toBe("cross_site");
    expect(
      checkCrossSite("GET", headers({ host, origin: "http://127.0.0.1:3000" }), local, { upgrade: true }),
    ).toBeNull();
  });
});

describe("API routes and their methods", () => {
  /** `app/api/**\/route.ts` as `/api/...` paths with the methods each file exports. */
  function routeFiles(): Array<{ path: string; methods: string[] }> {
    const root = path.join(__dirname, "..", "..", "app");
    const found: Array<{ path: string; methods: string[] }> = [];
    const visit = (folder: string) => {
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) visit(full);
        else if (entry.name === "route.ts") {
          const source = fs.readFileSync(full, "utf8");
          const methods = [
            ...source.matchAll(/export const (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g),
          ].map((match) => match[1]!);
          found.push({ path: `/${path.relative(root, folder).split(path.sep).join("/")}`, methods });
        }
      }
    };
    visit(path.join(root, "api"));
    return found;
  }

  it("lists every route file with exactly the methods it exports (add new routes to lib/http/api-routes.ts)", () => {
    const sort = (routes: ReadonlyArray<{ path: string; methods: readonly string[] }>) =>
      routes
        .map((route) => ({ path: route.path, methods: [...route.methods].sort() }))
        .sort((a, b) => a.path.localeCompare(b.path));
    expect(sort(apiRoutes)).toEqual(sort(routeFiles()));
  });

  it("matches paths to routes, static segments before dynamic ones", () => {
    expect(apiRouteMethods("/api/transcriptions/export.csv")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(apiRouteMethods("/api/transcriptions/abc123")?.sort()).toEqual(
      ["DELETE", "GET", "HEAD", "OPTIONS", "PUT"].sort(),
    );
    expect(apiRouteMethods("/api/transcriptions/abc123/summary")).toEqual(["POST", "OPTIONS"]);
    expect(apiRouteMethods("/api/health/")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(apiRouteMethods("/api/nothing")).toBeNull();
    expect(apiRouteMethods("/api/transcriptions/a/b/c")).toBeNull();
  });
});

describe("request ids", () => {
  it("keeps a short safe token and replaces anything else", () => {
    expect(requestIdFor("abc-123_DEF.45:6")).toBe("abc-123_DEF.45:6");
    for (const bad of [
      undefined,
      "",
      "short",
      "x".repeat(65),
      "has space in it",
      "line\nbreak-12345",
      "<script>xx",
    ]) {
      const id = requestIdFor(bad);
      expect(id).not.toBe(bad);
      expect(isSafeRequestId(id)).toBe(true);
    }
    expect(requestIdFor(["first-id-1234", "second"])).toBe("first-id-1234");
  });
});

describe("page CSP", () => {
  it("allows scripts by nonce only, frames nothing, and connects only to its own host", () => {
    const policy = pageContentSecurityPolicy({ nonce: "abc123==", dev: false, host: "127.0.0.1:3000" });
    const directives = Object.fromEntries(
      policy
        .split("; ")
        .map((directive) => [directive.split(" ")[0], directive.split(" ").slice(1).join(" ")]),
    );
    expect(directives["script-src"]).toBe("'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(directives["frame-ancestors"]).toBe("'none'");
    expect(directives["object-src"]).toBe("'none'");
    expect(directives["base-uri"]).toBe("'none'");
    expect(directives["connect-src"]).toBe("'self' ws://127.0.0.1:3000 wss://127.0.0.1:3000");
    expect(policy).not.toContain("unsafe-eval");
    expect(pageContentSecurityPolicy({ nonce: "n", dev: true })).toContain("'unsafe-eval'");
  });

  it("leaves out a Host that could smuggle directives", () => {
    const policy = pageContentSecurityPolicy({ nonce: "n", dev: false, host: "evil; script-src *" });
    expect(policy).not.toContain("evil");
    expect(policy).toContain("connect-src 'self';");
  });
});
