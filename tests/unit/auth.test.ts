// The pieces of sign-in on their own: password hashes, session tokens and cookies, the Entra
// principal and allow-lists, owners, the throttle, the `next` path, the gate's decisions, the
// start-up warnings and the configuration of each mode.
import { ConfigError, parseConfig, type AuthConfig } from "@/lib/config";
import { safeNextPath } from "@/lib/contract/auth";
import { entraAllows, readEntraPrincipal } from "@/lib/auth/entra";
import { checkAccess, warnAboutExposure } from "@/lib/auth/gate";
import { ownerOf } from "@/lib/auth/owner";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import {
  createSessionToken,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
  verifySessionToken,
} from "@/lib/auth/session";
import { SignInThrottle } from "@/lib/auth/throttle";
import { entraHeaders } from "../helpers/auth";

const secret = "s".repeat(40);

describe("password hashes", () => {
  it("are scrypt with a random salt, without $, and verify only the right password", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).toMatch(/^scrypt:[\w-]{22}:[\w-]{43}$/);
    expect(await hashPassword("correct horse")).not.toBe(hash);
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct hors", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
    expect(await verifyPassword("correct horse", null)).toBe(false);
    expect(await verifyPassword("correct horse", "scrypt:abc")).toBe(false);
    expect(await verifyPassword("correct horse", "bcrypt:x:y")).toBe(false);
  });

  it("take as long for an unknown user as for a wrong password", async () => {
    const hash = await hashPassword("pw-123456");
    const time = async (stored: string | null) => {
      const started = process.hrtime.bigint();
      await verifyPassword("guess", stored);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    await time(hash);
    const known = Math.min(await time(hash), await time(hash));
    const unknown = Math.min(await time(null), await time(null));
    expect(unknown).toBeGreaterThan(known * 0.5);
  });
});

describe("session tokens", () => {
  const users = [
    { name: "alice", passwordHash: "scrypt:AAAAAAAAAAAAAAAAAAAAAA:" + "a".repeat(43) },
    { name: "bob", passwordHash: "scrypt:BBBBBBBBBBBBBBBBBBBBBB:" + "b".repeat(43) },
  ];
  const keys = { secret, users };
  const now = 1_700_000_000;

  it("verify with the same secret and user until they expire, each one distinct", () => {
    const token = createSessionToken({ user: "alice", exp: now + 60 }, keys);
    expect(verifySessionToken(token, keys, now)).toEqual({ user: "alice", exp: now + 60 });
    expect(createSessionToken({ user: "alice", exp: now + 60 }, keys)).not.toBe(token);
    expect(verifySessionToken(token, keys, now + 60)).toBeNull();
    expect(verifySessionToken(token, { ...keys, secret: "t".repeat(40) }, now)).toBeNull();
    // The password changed, or the user is gone.
    expect(
      verifySessionToken(
        token,
        { secret, users: [{ ...users[0]!, passwordHash: users[1]!.passwordHash }] },
        now,
      ),
    ).toBeNull();
    expect(verifySessionToken(token, { secret, users: [users[1]!] }, now)).toBeNull();
    expect(() => createSessionToken({ user: "carol", exp: now }, keys)).toThrow();
  });

  it("refuse any change to the claims or the MAC, and malformed tokens", () => {
    const token = createSessionToken({ user: "alice", exp: now + 60 }, keys);
    const [version, payload, mac] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const forge = (changes: Record<string, unknown>) =>
      `${version}.${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString("base64url")}.${mac}`;
    for (const bad of [
      forge({ u: "bob" }),
      forge({ exp: now + 3600 }),
      `${version}.${payload}.${mac.slice(1)}`,
      `${version}.${payload}.${Buffer.alloc(32).toString("base64url")}`,
      `v2.${payload}.${mac}`,
      `${version}.${payload}`,
      "",
      "v1..",
      `v1.${Buffer.from("null").toString("base64url")}.${mac}`,
      `v1.${"x".repeat(2000)}.${mac}`,
    ]) {
      expect(verifySessionToken(bad, keys, now)).toBeNull();
    }
  });
});

describe("cookies", () => {
  it("are read by name from a Cookie header", () => {
    expect(readCookie(`a=1; ${SESSION_COOKIE}=v1.x.y; b=2`, SESSION_COOKIE)).toBe("v1.x.y");
    expect(readCookie("a=1", SESSION_COOKIE)).toBeNull();
    expect(readCookie(`${SESSION_COOKIE}=%E0%A4%A`, SESSION_COOKIE)).toBeNull();
    expect(readCookie(null, SESSION_COOKIE)).toBeNull();
  });

  it("are httpOnly, SameSite=Lax, for the whole site, and Secure when asked", () => {
    expect(sessionCookie("v1.x.y", { maxAgeSec: 600, secure: false })).toBe(
      `${SESSION_COOKIE}=v1.x.y; Path=/; HttpOnly; SameSite=Lax; Max-Age=600`,
    );
    expect(sessionCookie("v1.x.y", { maxAgeSec: 600, secure: true })).toMatch(/; Secure$/);
    expect(sessionCookie(null, { maxAgeSec: 0, secure: false })).toMatch(
      new RegExp(`^${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Expires=`),
    );
  });
});

describe("Entra principals", () => {
  const principal = { id: "AAAA-1", name: "Ann@Contoso.com", tenant: "72F988BF-0000" };
  const read = (headers: Record<string, string>) => readEntraPrincipal((name) => headers[name]);

  it("are read from Container Apps' headers, with the tenant from the claims", () => {
    expect(read(entraHeaders(principal))).toEqual({
      id: "AAAA-1",
      name: "Ann@Contoso.com",
      tenantId: "72f988bf-0000",
    });
    const short = Buffer.from(JSON.stringify({ claims: [{ typ: "tid", val: "T1" }] })).toString("base64");
    expect(read({ ...entraHeaders(principal), "x-ms-client-principal": short })?.tenantId).toBe("t1");
    expect(
      read({ ...entraHeaders(principal), "x-ms-client-principal": "not base64 json" })?.tenantId,
    ).toBeNull();
    expect(read({ "x-ms-client-principal-name": "ann" })).toBeNull();
    expect(read({})).toBeNull();
  });

  it("are let in by tenant and by user (object id or name, any case); both lists apply", () => {
    const ann = read(entraHeaders(principal))!;
    expect(entraAllows(ann, { tenants: ["72f988bf-0000"], users: [] })).toBe(true);
    expect(entraAllows(ann, { tenants: ["other"], users: [] })).toBe(false);
    expect(entraAllows(ann, { tenants: [], users: ["aaaa-1"] })).toBe(true);
    expect(entraAllows(ann, { tenants: [], users: ["ann@contoso.com"] })).toBe(true);
    expect(entraAllows(ann, { tenants: [], users: ["ben@contoso.com"] })).toBe(false);
    expect(entraAllows(ann, { tenants: ["other"], users: ["aaaa-1"] })).toBe(false);
    expect(entraAllows({ ...ann, tenantId: null }, { tenants: ["72f988bf-0000"], users: [] })).toBe(false);
  });
});

describe("owners", () => {
  it("are safe partition keys, one per mode and user, whatever the name's case or characters", () => {
    const owner = ownerOf("password", "Alice");
    expect(owner).toMatch(/^u-[0-9a-f]{32}$/);
    expect(ownerOf("password", "alice")).toBe(owner);
    expect(ownerOf("entra", "alice")).not.toBe(owner);
    expect(ownerOf("password", "bob")).not.toBe(owner);
    expect(ownerOf("entra", "o'brien/../x#?")).toMatch(/^u-[0-9a-f]{32}$/);
  });
});

describe("the sign-in throttle", () => {
  const policy = {
    freeFailures: 5,
    baseLockMs: 60_000,
    maxLockMs: 3_600_000,
    forgetAfterMs: 86_400_000,
    maxKeys: 3,
  };

  it("locks a key at its 5th failure for a minute, doubling with each further failure up to an hour", () => {
    const throttle = new SignInThrottle(policy);
    for (let i = 0; i < 4; i++) throttle.fail("k", 0);
    expect(throttle.retryAfterSec("k", 0)).toBe(0);
    throttle.fail("k", 0);
    expect(throttle.retryAfterSec("k", 0)).toBe(60);
    expect(throttle.retryAfterSec("k", 59_500)).toBe(1);
    expect(throttle.retryAfterSec("k", 60_000)).toBe(0);
    throttle.fail("k", 60_000);
    expect(throttle.retryAfterSec("k", 60_000)).toBe(120);
    for (let i = 0; i < 10; i++) throttle.fail("k", 200_000);
    expect(throttle.retryAfterSec("k", 200_000)).toBe(3600);
    throttle.clear("k");
    expect(throttle.retryAfterSec("k", 200_000)).toBe(0);
  });

  it("forgets old failures and keeps a bounded number of keys", () => {
    const throttle = new SignInThrottle(policy);
    for (let i = 0; i < 4; i++) throttle.fail("k", 0);
    throttle.fail("k", 86_400_001);
    expect(throttle.retryAfterSec("k", 86_400_001)).toBe(0);
    for (const key of ["a", "b", "c", "d"]) for (let i = 0; i < 5; i++) throttle.fail(key, 0);
    expect(throttle.retryAfterSec("a", 0)).toBe(0);
    expect(throttle.retryAfterSec("d", 0)).toBe(60);
  });
});

describe("the next path after sign-in", () => {
  it("is a path of this site, never another site", () => {
    expect(safeNextPath("/recordings?q=a%20b")).toBe("/recordings?q=a%20b");
    expect(safeNextPath("/transcripts/abc")).toBe("/transcripts/abc");
    for (const bad of [
      null,
      "",
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "\\\\evil",
      "/x\ny",
      "javascript:alert(1)",
      "/sign-in",
      "/sign-in?next=/",
      "/api/jobs",
    ]) {
      expect(safeNextPath(bad)).toBe("/");
    }
  });
});

describe("the gate", () => {
  const users = [{ name: "alice", passwordHash: "scrypt:AAAAAAAAAAAAAAAAAAAAAA:" + "a".repeat(43) }];
  const password: AuthConfig = { mode: "password", users, secret, sessionSec: 3600, httpsOnly: false };
  const entra: AuthConfig = { mode: "entra", tenants: ["t1"], users: [] };
  const decide = (auth: AuthConfig, url: string, method = "GET", headers: Record<string, string> = {}) =>
    checkAccess({ method, url, headers }, auth);

  it("lets everything through with sign-in off", () => {
    expect(decide({ mode: "none" }, "/api/jobs")).toEqual({ action: "allow" });
  });

  it("opens only the sign-in page and API, health, built assets and the icon without a session", () => {
    for (const url of [
      "/sign-in",
      "/sign-in?next=%2F",
      "/api/auth/sign-in",
      "/api/auth/session",
      "/api/auth/sign-out",
      "/api/health",
      "/_next/static/chunks/app.js",
      "/icon.svg",
      "/favicon.ico",
    ]) {
      expect({ url, ...decide(password, url) }).toEqual({ url, action: "allow" });
    }
    for (const url of [
      "/api/jobs",
      "/api/auth/../jobs",
      "/api/auth/%2e%2e/jobs",
      "/_next/static/../../api/jobs",
      "/api/health/../outbox",
      "/api/auth/sign-in/x",
      "/api/live",
    ]) {
      expect({ url, ...decide(password, url) }).toMatchObject({
        url,
        action: "deny",
        status: 401,
        api: true,
      });
    }
  });

  it("sends pages to the sign-in page, coming back afterwards; other methods get 401", () => {
    expect(decide(password, "/")).toEqual({ action: "redirect", location: "/sign-in", clearCookie: false });
    expect(decide(password, "/transcripts/abc?x=1")).toEqual({
      action: "redirect",
      location: `/sign-in?next=${encodeURIComponent("/transcripts/abc?x=1")}`,
      clearCookie: false,
    });
    expect(decide(password, "/recordings", "GET", { cookie: `${SESSION_COOKIE}=v1.bad.mac` })).toMatchObject({
      action: "redirect",
      clearCookie: true,
    });
    expect(decide(password, "/recordings", "POST")).toMatchObject({ action: "deny", api: false });
  });

  it("lets a valid session through, and in entra mode the platform's headers only", () => {
    const token = createSessionToken({ user: "alice", exp: Math.floor(Date.now() / 1000) + 60 }, password);
    expect(decide(password, "/api/jobs", "GET", { cookie: `${SESSION_COOKIE}=${token}` })).toEqual({
      action: "allow",
    });
    expect(
      decide(password, "/api/jobs", "GET", entraHeaders({ id: "x", name: "x", tenant: "t1" })),
    ).toMatchObject({
      action: "deny",
    });
    expect(decide(entra, "/api/jobs", "GET", entraHeaders({ id: "x", name: "x", tenant: "t1" }))).toEqual({
      action: "allow",
    });
    expect(decide(entra, "/api/jobs", "GET", { cookie: `${SESSION_COOKIE}=${token}` })).toMatchObject({
      action: "deny",
      reason: "missing",
    });
    expect(
      decide(entra, "/recordings", "GET", entraHeaders({ id: "x", name: "x", tenant: "t2" })),
    ).toMatchObject({
      action: "deny",
      api: false,
      reason: "not_allowed",
    });
  });
});

describe("start-up warnings", () => {
  const server = { port: 3000, host: "", trustProxy: false };

  it("warn when the server listens beyond loopback without sign-in, or takes passwords over plain HTTP", () => {
    for (const host of ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"]) {
      expect(warnAboutExposure({ auth: { mode: "none" }, server }, host)).toEqual([]);
    }
    for (const host of ["0.0.0.0", "::", "192.168.1.20"]) {
      expect(warnAboutExposure({ auth: { mode: "none" }, server }, host)).toEqual([
        "listening beyond this machine without sign-in",
      ]);
    }
    const password: AuthConfig = { mode: "password", users: [], secret, sessionSec: 60, httpsOnly: false };
    expect(warnAboutExposure({ auth: password, server }, "0.0.0.0")).toEqual([
      "password sign-in over plain HTTP",
    ]);
    expect(warnAboutExposure({ auth: password, server: { ...server, trustProxy: true } }, "0.0.0.0")).toEqual(
      [],
    );
    expect(warnAboutExposure({ auth: { ...password, httpsOnly: true }, server }, "0.0.0.0")).toEqual([]);
    expect(
      warnAboutExposure({ auth: { mode: "entra", tenants: ["t"], users: [] }, server }, "0.0.0.0"),
    ).toEqual([]);
  });
});

describe("configuration of sign-in", () => {
  const hash = "scrypt:AAAAAAAAAAAAAAAAAAAAAA:" + "a".repeat(43);
  const failure = (env: Record<string, string>) => {
    try {
      parseConfig(env, "/app");
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error("accepted");
  };

  it("is off by default, listening on loopback", () => {
    const config = parseConfig({}, "/app");
    expect(config.auth).toEqual({ mode: "none" });
    expect(config.server.host).toBe("127.0.0.1");
    expect(parseConfig({ HOST: "0.0.0.0" }, "/app").server.host).toBe("0.0.0.0");
  });

  it("takes password users, a secret and the session length", () => {
    const config = parseConfig(
      {
        AUTH_MODE: "password",
        AUTH_USERS: ` Alice:${hash},\n  bob.smith@example.org:${hash} `,
        AUTH_SECRET: secret,
        AUTH_SESSION_HOURS: "12",
        PUBLIC_ORIGINS: "https://transcribe.example.org/, https://t.example.org",
      },
      "/app",
    );
    expect(config.auth).toEqual({
      mode: "password",
      users: [
        { name: "alice", passwordHash: hash },
        { name: "bob.smith@example.org", passwordHash: hash },
      ],
      secret,
      sessionSec: 12 * 3600,
      httpsOnly: true,
    });
    const mixed = { AUTH_MODE: "password", AUTH_USERS: `alice:${hash}`, AUTH_SECRET: secret };
    expect(
      parseConfig({ ...mixed, PUBLIC_ORIGINS: "https://a.example, http://b.example" }, "/app").auth,
    ).toMatchObject({
      httpsOnly: false,
    });
    expect(parseConfig(mixed, "/app").auth).toMatchObject({ httpsOnly: false });
  });

  it("refuses password mode without users, with a malformed hash or a short secret, never quoting them", () => {
    expect(failure({ AUTH_MODE: "password", AUTH_SECRET: secret })).toMatch(/needs AUTH_USERS/);
    const short = failure({
      AUTH_MODE: "password",
      AUTH_USERS: `alice:${hash}`,
      AUTH_SECRET: "short-secret",
    });
    expect(short).toMatch(/AUTH_SECRET.*at least 32/);
    expect(short).not.toContain("short-secret");
    const legacy = `alice:scrypt$${"A".repeat(22)}$${"a".repeat(43)}`;
    const malformed = failure({ AUTH_MODE: "password", AUTH_USERS: legacy, AUTH_SECRET: secret });
    expect(malformed).toMatch(/entry 1 \(alice\).*npm run hash-password/);
    expect(malformed).not.toContain("A".repeat(22));
    expect(
      failure({ AUTH_MODE: "password", AUTH_USERS: `alice:${hash},ALICE:${hash}`, AUTH_SECRET: secret }),
    ).toMatch(/names alice twice/);
    expect(failure({ AUTH_MODE: "password", AUTH_USERS: hash, AUTH_SECRET: secret })).toMatch(/entry 1/);
  });

  it("takes Entra allow-lists and needs at least one", () => {
    expect(parseConfig({ AUTH_MODE: "entra", AUTH_ENTRA_TENANTS: "T1, t2" }, "/app").auth).toEqual({
      mode: "entra",
      tenants: ["t1", "t2"],
      users: [],
    });
    expect(
      parseConfig({ AUTH_MODE: "entra", AUTH_ENTRA_USERS: "Ann@Contoso.com" }, "/app").auth,
    ).toMatchObject({
      users: ["ann@contoso.com"],
    });
    expect(failure({ AUTH_MODE: "entra" })).toMatch(/AUTH_ENTRA_TENANTS or AUTH_ENTRA_USERS/);
    expect(failure({ AUTH_MODE: "sometimes" })).toMatch(/AUTH_MODE/);
  });
});
