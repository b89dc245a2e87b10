// AUTH_MODE=password through the route handlers, on a real Azurite: signing in (right and wrong
// passwords, throttling with 429 and Retry-After), the session cookie (its attributes, tampered,
// expired, signed with another secret, after sign-out), and two users who can reach nothing of
// each other's: no read, search, download, edit, export, summary, e-mail, delete, job or outbox.
import { resetAuthState } from "@/lib/auth/state";
import { createSessionToken, SESSION_COOKIE } from "@/lib/auth/session";
import { getProcessConfig } from "@/lib/services";
import { configure, readFixture } from "../helpers/api";
import {
  callApi,
  caller,
  cookieOf,
  entraHeaders,
  expectEnvelope,
  expectIsolated,
  makeOwnedData,
  makeSecret,
  makeUser,
  signInAs,
  type TestUser,
} from "../helpers/auth";

const jfk = readFixture("jfk.wav");
/** A well-formed id that nothing has. */
const someId = "0123456789abcdefg";
let alice: TestUser;
let bob: TestUser;
let secret: string;

function settings(extra: Record<string, string | undefined> = {}) {
  return {
    SPEECH_PROVIDER: "fake",
    AUTH_MODE: "password",
    AUTH_USERS: `${alice.entry},${bob.entry}`,
    AUTH_SECRET: secret,
    ...extra,
  };
}

function attempt(
  username: string,
  password: string,
  client = "192.0.2.10",
  headers: Record<string, string> = {},
) {
  return callApi("/api/auth/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json", "x-client-address": client, ...headers },
    body: JSON.stringify({ username, password }),
  });
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([makeUser("alice"), makeUser("bob")]);
  secret = makeSecret();
  await configure(settings());
});

beforeEach(() => resetAuthState());

describe("signing in", () => {
  it("gives a signed, httpOnly, SameSite=Lax session cookie for the right password, and says who is signed in", async () => {
    const response = await attempt(alice.name.toUpperCase(), alice.password);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: { name: alice.name } });
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=v1\\.[\\w-]+\\.[\\w-]+;`));
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).toContain(`Max-Age=${7 * 24 * 3600}`);
    expect(cookie).not.toContain("Secure");
    expect(response.headers.get("cache-control")).toBe("no-store");

    const session = await callApi("/api/auth/session", { headers: { cookie: cookieOf(response) } });
    expect(await session.json()).toEqual({ mode: "password", user: { name: alice.name } });
    const nobody = await callApi("/api/auth/session");
    expect(await nobody.json()).toEqual({ mode: "password", user: null });
  });

  it("refuses a wrong password and an unknown user alike, with 401 and no cookie", async () => {
    for (const response of [
      await attempt(alice.name, "not-the-password"),
      await attempt("mallory", alice.password),
    ]) {
      expect(response.headers.get("set-cookie")).toBeNull();
      await expectEnvelope(response, 401, "unauthorized");
    }
    await expectEnvelope(await attempt("", ""), 400, "validation_failed");
  });

  it("marks the cookie Secure behind HTTPS: a trusted proxy's X-Forwarded-Proto or https PUBLIC_ORIGINS", async () => {
    const forwarded = { "x-forwarded-proto": "https" };
    expect(
      (await attempt(alice.name, alice.password, "192.0.2.11", forwarded)).headers.get("set-cookie"),
    ).not.toContain("Secure");
    await configure(settings({ TRUST_PROXY: "true" }));
    expect(
      (await attempt(alice.name, alice.password, "192.0.2.11", forwarded)).headers.get("set-cookie"),
    ).toContain("; Secure");
    await configure(settings({ TRUST_PROXY: undefined, PUBLIC_ORIGINS: "https://transcribe.example.org" }));
    expect((await attempt(alice.name, alice.password)).headers.get("set-cookie")).toContain("; Secure");
    await configure(settings({ PUBLIC_ORIGINS: undefined }));
  });

  it("locks a user name after 5 failures: 429 with Retry-After and the envelope, even for the right password", async () => {
    for (let i = 0; i < 5; i++) {
      // From different addresses: the user name is what is counted.
      await expectEnvelope(await attempt(alice.name, `wrong-${i}`, `192.0.2.${20 + i}`), 401, "unauthorized");
    }
    const locked = await attempt(alice.name, alice.password, "192.0.2.30");
    await expectEnvelope(locked, 429, "rate_limited");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(locked.headers.get("set-cookie")).toBeNull();

    // A further failure, once the lock is over, doubles it.
    const { authState } = await import("@/lib/auth/state");
    const later = Date.now() + 61_000;
    authState().users.fail(alice.name, later);
    expect(authState().users.retryAfterSec(alice.name, later)).toBe(120);

    // Others sign in as usual.
    expect((await attempt(bob.name, bob.password, "192.0.2.31")).status).toBe(200);
  });

  it("locks a client address after 10 failures, whatever user names it tries", async () => {
    for (let i = 0; i < 10; i++) {
      await expectEnvelope(await attempt(`guess-${i}`, "password", "192.0.2.50"), 401, "unauthorized");
    }
    const locked = await attempt(bob.name, bob.password, "192.0.2.50");
    await expectEnvelope(locked, 429, "rate_limited");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await attempt(bob.name, bob.password, "192.0.2.51")).status).toBe(200);
  });

  it("forgets failures after a successful sign-in", async () => {
    for (let i = 0; i < 4; i++) await attempt(bob.name, "wrong", "192.0.2.60");
    expect((await attempt(bob.name, bob.password, "192.0.2.60")).status).toBe(200);
    for (let i = 0; i < 4; i++) await attempt(bob.name, "wrong", "192.0.2.60");
    expect((await attempt(bob.name, bob.password, "192.0.2.60")).status).toBe(200);
  });
});

describe("the session cookie", () => {
  const jobsWith = (cookie?: string) => callApi("/api/jobs", { headers: cookie ? { cookie } : {} });

  it("is needed by every data route: without it, 401 with the envelope", async () => {
    for (const [method, path] of [
      ["GET", "/api/jobs"],
      ["GET", "/api/transcriptions"],
      ["GET", `/api/transcriptions/${someId}`],
      ["DELETE", `/api/transcriptions/${someId}`],
      ["GET", "/api/transcriptions/export.csv"],
      ["GET", "/api/recordings"],
      ["GET", `/api/recordings/${someId}/audio`],
      ["GET", "/api/outbox"],
      ["POST", `/api/transcriptions/${someId}/summary`],
    ] as const) {
      await expectEnvelope(await callApi(path, { method }), 401, "unauthorized");
    }
    // Health stays open.
    expect((await callApi("/api/health")).status).toBe(200);
  });

  it("is refused when tampered with, expired, or signed with another secret", async () => {
    const good = await signInAs(alice);
    expect((await jobsWith(good)).status).toBe(200);
    const [name, value] = good.split("=") as [string, string];
    const [version, payload, mac] = value.split(".") as [string, string, string];

    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { u: string; exp: number };
    const asBob = Buffer.from(JSON.stringify({ ...claims, u: bob.name })).toString("base64url");
    const longer = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86400 * 365 })).toString(
      "base64url",
    );
    const flipped = `${mac.slice(0, -2)}${mac.endsWith("AA") ? "BB" : "AA"}`;
    const config = getProcessConfig().auth;
    if (config.mode !== "password") throw new Error("password mode expected");
    const expired = createSessionToken({ user: alice.name, exp: Math.floor(Date.now() / 1000) - 1 }, config);
    const otherSecret = createSessionToken(
      { user: alice.name, exp: claims.exp },
      { ...config, secret: makeSecret() },
    );
    for (const [what, cookie] of [
      ["another user", `${name}=${version}.${asBob}.${mac}`],
      ["a later expiry", `${name}=${version}.${longer}.${mac}`],
      ["a changed MAC", `${name}=${version}.${payload}.${flipped}`],
      ["no MAC", `${name}=${version}.${payload}`],
      ["expired", `${name}=${expired}`],
      ["another secret", `${name}=${otherSecret}`],
      ["garbage", `${name}=%E0%A4%A`],
    ] as const) {
      const response = await jobsWith(cookie);
      expect({ what, status: response.status }).toEqual({ what, status: 401 });
    }
  });

  it("ends with the user's password: a changed hash refuses older sessions", async () => {
    const cookie = await signInAs(bob);
    const renewed = await makeUser("renewed");
    await configure(
      settings({ AUTH_USERS: `${alice.entry},${bob.name}:${renewed.entry.split(":").slice(1).join(":")}` }),
    );
    expect((await jobsWith(cookie)).status).toBe(401);
    await configure(settings());
  });

  it("is cleared by sign-out, and the signed-out token is refused even if replayed", async () => {
    const cookie = await signInAs(alice);
    expect((await jobsWith(cookie)).status).toBe(200);
    const out = await callApi("/api/auth/sign-out", { method: "POST", headers: { cookie } });
    expect(out.status).toBe(204);
    const cleared = out.headers.get("set-cookie")!;
    expect(cleared).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    expect(cleared).toContain("Max-Age=0");
    expect(cleared).toContain("HttpOnly");
    await expectEnvelope(await jobsWith(cookie), 401, "unauthorized");
    const session = await callApi("/api/auth/session", { headers: { cookie } });
    expect(await session.json()).toEqual({ mode: "password", user: null });
    // Another session of the same user goes on.
    expect((await jobsWith(await signInAs(alice))).status).toBe(200);
  });

  it("is the only credential: Entra headers are ignored in password mode", async () => {
    const headers = entraHeaders({
      id: "00000000-0000-0000-0000-000000000001",
      name: alice.name,
      tenant: "t",
    });
    await expectEnvelope(await callApi("/api/jobs", { headers }), 401, "unauthorized");
  });
});

describe("two users", () => {
  it("cannot reach each other's recordings, transcripts, jobs or e-mail (404, not 403)", async () => {
    const a = caller("alice", { cookie: await signInAs(alice) });
    const b = caller("bob", { cookie: await signInAs(bob) });
    const data = await makeOwnedData(a, jfk);
    await expectIsolated(a, b, data);
    // And the other way round.
    const theirs = await makeOwnedData(b, jfk);
    await expectIsolated(b, a, theirs);
  });
});
