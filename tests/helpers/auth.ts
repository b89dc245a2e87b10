// Sign-in for API tests: every route handler behind one `fetch`-like call carrying a caller's headers
// (a session cookie, the platform's Entra headers), users with real scrypt hashes, and the checks
// that one owner can reach nothing of another's.
import { randomBytes } from "node:crypto";
import * as transcriptions from "@/app/api/transcriptions/route";
import * as transcription from "@/app/api/transcriptions/[id]/route";
import * as retry from "@/app/api/transcriptions/[id]/retry/route";
import * as summary from "@/app/api/transcriptions/[id]/summary/route";
import * as exportOne from "@/app/api/transcriptions/[id]/export/route";
import * as email from "@/app/api/transcriptions/[id]/email/route";
import * as exportAll from "@/app/api/transcriptions/export.csv/route";
import * as jobs from "@/app/api/jobs/route";
import * as signIn from "@/app/api/auth/sign-in/route";
import * as session from "@/app/api/auth/session/route";
import * as signOut from "@/app/api/auth/sign-out/route";
import * as recordings from "@/app/api/recordings/route";
import * as recording from "@/app/api/recordings/[id]/route";
import * as audio from "@/app/api/recordings/[id]/audio/route";
import * as health from "@/app/api/health/route";
import * as outbox from "@/app/api/outbox/route";
import * as outboxMessage from "@/app/api/outbox/[id]/route";
import { hashPassword } from "@/lib/auth/password";

type Handler = (request: Request, context: { params?: Promise<Record<string, string>> }) => Promise<Response>;
type Module = Partial<Record<"GET" | "POST" | "PUT" | "DELETE", Handler>>;

/** Every API route, in matching order (`export.csv` before `:id`). */
const table: Array<[RegExp, Module]> = [
  [/^\/api\/transcriptions$/, transcriptions],
  [/^\/api\/transcriptions\/export\.csv$/, exportAll],
  [/^\/api\/transcriptions\/([^/]+)$/, transcription],
  [/^\/api\/transcriptions\/([^/]+)\/retry$/, retry],
  [/^\/api\/transcriptions\/([^/]+)\/summary$/, summary],
  [/^\/api\/transcriptions\/([^/]+)\/export$/, exportOne],
  [/^\/api\/transcriptions\/([^/]+)\/email$/, email],
  [/^\/api\/jobs$/, jobs],
  [/^\/api\/auth\/sign-in$/, signIn],
  [/^\/api\/auth\/session$/, session],
  [/^\/api\/auth\/sign-out$/, signOut],
  [/^\/api\/recordings$/, recordings],
  [/^\/api\/recordings\/([^/]+)$/, recording],
  [/^\/api\/recordings\/([^/]+)\/audio$/, audio],
  [/^\/api\/health$/, health],
  [/^\/api\/outbox$/, outbox],
  [/^\/api\/outbox\/([^/]+)$/, outboxMessage],
];

/** Calls the route handler of `path` (with its query) as the server would, `init` as for fetch. */
export async function callApi(path: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(path, "http://localhost");
  const method = (init.method ?? "GET").toUpperCase() as keyof Module;
  for (const [pattern, module] of table) {
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    const handler = module[method];
    if (!handler) throw new Error(`no ${method} handler for ${url.pathname}`);
    const params =
      match[1] === undefined ? {} : { params: Promise.resolve({ id: decodeURIComponent(match[1]) }) };
    return handler(new Request(url, init), params);
  }
  throw new Error(`no route for ${url.pathname}`);
}

/** Someone calling the API: their headers go with every request. */
export interface Caller {
  name: string;
  headers: Record<string, string>;
  call(path: string, init?: RequestInit): Promise<Response>;
  /** Sends `body` as JSON. */
  json(method: string, path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Uploads audio as `POST /api/transcriptions` does. */
  upload(bytes: Buffer, name: string): Promise<Response>;
}

export function caller(name: string, headers: Record<string, string>): Caller {
  const call = (path: string, init: RequestInit = {}) =>
    callApi(path, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  return {
    name,
    headers,
    call,
    json: (method, path, body, extra = {}) =>
      call(path, {
        method,
        headers: { "content-type": "application/json", ...extra },
        body: JSON.stringify(body),
      }),
    upload: (bytes, fileName) => {
      const form = new FormData();
      form.set("audio", new File([new Uint8Array(bytes)], fileName, { type: "audio/wav" }));
      form.set("language", "en-US");
      return call("/api/transcriptions", { method: "POST", body: form });
    },
  };
}

/** A password user: name, password and the `AUTH_USERS` entry. */
export interface TestUser {
  name: string;
  password: string;
  entry: string;
}

/** A user with a random name (each test file its own storage partitions) and password. */
export async function makeUser(prefix: string): Promise<TestUser> {
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  const password = randomBytes(12).toString("base64url");
  return { name, password, entry: `${name}:${await hashPassword(password)}` };
}

/** A secret for AUTH_SECRET. */
export function makeSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Signs in through the route and returns the `Cookie` header of the session. */
export async function signInAs(user: TestUser, clientAddress = "203.0.113.7"): Promise<string> {
  const response = await callApi("/api/auth/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json", "x-client-address": clientAddress },
    body: JSON.stringify({ username: user.name, password: user.password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${user.name} answered ${response.status}`);
  return cookieOf(response);
}

/** The `Cookie` header that a response's `Set-Cookie` makes (name=value). */
export function cookieOf(response: Response): string {
  const set = response.headers.get("set-cookie") ?? "";
  return set.split(";")[0]!;
}

/** The base64 `X-MS-CLIENT-PRINCIPAL` that Container Apps authentication sends. */
export function entraHeaders(principal: {
  id: string;
  name: string;
  tenant?: string;
}): Record<string, string> {
  const claims = [
    { typ: "http://schemas.microsoft.com/identity/claims/objectidentifier", val: principal.id },
    { typ: "name", val: principal.name },
    ...(principal.tenant
      ? [{ typ: "http://schemas.microsoft.com/identity/claims/tenantid", val: principal.tenant }]
      : []),
  ];
  const encoded = Buffer.from(
    JSON.stringify({ auth_typ: "aad", name_typ: "name", role_typ: "roles", claims }),
  ).toString("base64");
  return {
    "x-ms-client-principal-id": principal.id,
    "x-ms-client-principal-name": principal.name,
    "x-ms-client-principal-idp": "aad",
    "x-ms-client-principal": encoded,
  };
}

/** Checks an answer is the error envelope with this status and code. */
export async function expectEnvelope(response: Response, status: number, code: string): Promise<void> {
  const body = (await response.json()) as { error?: { code?: string; message?: string } };
  expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
  expect(body.error?.message?.length ?? 0).toBeGreaterThan(5);
}

/** What `owner` made for the isolation checks: a finished transcript, its recording, one e-mail. */
export interface OwnedData {
  id: string;
  recordingId: string;
  /** A word only this owner's title and text hold. */
  marker: string;
  outboxId: string;
}

/** Waits until `who`'s job `id` is done; returns its final state. */
export async function waitForJobOf(
  who: Caller,
  id: string,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await who.call(`/api/transcriptions/${id}`);
    const body = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200)
      throw new Error(`job ${id} answered ${response.status}: ${JSON.stringify(body)}`);
    if (["succeeded", "failed", "cancelled"].includes(body.status as string)) return body;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Uploads `audio` as `owner`, waits for its transcript, gives it a marked title and text, and e-mails it. */
export async function makeOwnedData(owner: Caller, audioBytes: Buffer): Promise<OwnedData> {
  const marker = `zebra${randomBytes(3).toString("hex")}`;
  const started = await owner.upload(audioBytes, `${marker}.wav`);
  expect(started.status).toBe(202);
  const { id, recordingId } = (await started.json()) as { id: string; recordingId: string };
  const done = await waitForJobOf(owner, id);
  expect(done.status).toBe("succeeded");
  const etag = (done.transcript as { etag: string }).etag;
  const saved = await owner.json(
    "PUT",
    `/api/transcriptions/${id}`,
    { title: `Notes ${marker}`, text: `Private ${marker} words.` },
    {
      "if-match": etag,
    },
  );
  expect(saved.status).toBe(200);
  const sent = await owner.json("POST", `/api/transcriptions/${id}/email`, { to: "reader@example.com" });
  expect(sent.status).toBe(202);
  const outboxId = ((await sent.json()) as { id: string }).id;
  return { id, recordingId, marker, outboxId };
}

/**
 * Proves that `other` can reach nothing of `data`: every read, change and delete by id is 404
 * `not_found` (never 403: that would say the id exists), and no listing, search, export, job list
 * or outbox shows it.
 */
export async function expectNoAccess(other: Caller, data: OwnedData): Promise<void> {
  const { id, recordingId, marker, outboxId } = data;
  const notFound = async (response: Promise<Response>, what: string) => {
    const answer = await response;
    const body = (await answer.json()) as { error?: { code?: string } };
    expect({ who: other.name, what, status: answer.status, code: body.error?.code }).toEqual({
      who: other.name,
      what,
      status: 404,
      code: "not_found",
    });
  };

  // By id: read, edit, export, summarise, e-mail, retry, download, delete.
  await notFound(other.call(`/api/transcriptions/${id}`), "read");
  await notFound(
    other.json("PUT", `/api/transcriptions/${id}`, { text: "Overwritten." }, { "if-match": '"any"' }),
    "edit",
  );
  for (const format of ["txt", "json", "docx"]) {
    await notFound(other.call(`/api/transcriptions/${id}/export?format=${format}`), `export ${format}`);
  }
  await notFound(other.call(`/api/transcriptions/${id}/summary`, { method: "POST" }), "summarise");
  await notFound(
    other.json("POST", `/api/transcriptions/${id}/email`, { to: "thief@example.com" }),
    "e-mail",
  );
  await notFound(other.call(`/api/transcriptions/${id}/retry`, { method: "POST" }), "retry");
  await notFound(other.call(`/api/recordings/${recordingId}/audio`), "download");
  await notFound(
    other.call(`/api/recordings/${recordingId}/audio?download=1`, { headers: { range: "bytes=0-9" } }),
    "ranged download",
  );
  await notFound(other.call(`/api/outbox/${outboxId}`), "outbox message");
  await notFound(other.call(`/api/transcriptions/${id}`, { method: "DELETE" }), "delete transcript");
  await notFound(other.call(`/api/recordings/${recordingId}`, { method: "DELETE" }), "delete recording");

  // Listings, search, exports, jobs and the outbox.
  for (const path of [
    "/api/transcriptions",
    `/api/transcriptions?q=${marker}`,
    "/api/recordings",
    "/api/jobs",
    "/api/transcriptions/export.csv",
    "/api/outbox",
  ]) {
    const response = await other.call(path);
    const text = await response.text();
    expect({ who: other.name, path, status: response.status }).toEqual({
      who: other.name,
      path,
      status: 200,
    });
    expect({
      path,
      leaks: [id, recordingId, marker, outboxId].filter((value) => text.includes(value)),
    }).toEqual({
      path,
      leaks: [],
    });
  }
}

/** Checks that `owner` still has all of `data`, unchanged (after someone else tried). */
export async function expectStillOwned(owner: Caller, data: OwnedData): Promise<void> {
  const { id, recordingId, marker, outboxId } = data;
  const own = await owner.call(`/api/transcriptions/${id}`);
  expect(own.status).toBe(200);
  const transcript = ((await own.json()) as { transcript: { text: string; title: string } }).transcript;
  expect(transcript).toMatchObject({ title: `Notes ${marker}`, text: `Private ${marker} words.` });
  expect((await owner.call(`/api/recordings/${recordingId}/audio`)).status).toBe(200);
  expect((await owner.call(`/api/outbox/${outboxId}`)).status).toBe(200);
  expect(await (await owner.call(`/api/transcriptions?q=${marker}`)).text()).toContain(id);
  expect(await (await owner.call("/api/recordings")).text()).toContain(recordingId);
  expect(await (await owner.call("/api/jobs")).text()).toContain(id);
  expect(await (await owner.call("/api/transcriptions/export.csv")).text()).toContain(marker);
  expect(await (await owner.call("/api/outbox")).text()).toContain(outboxId);
}

/** {@link expectNoAccess} for `other`, then {@link expectStillOwned} for `owner`. */
export async function expectIsolated(owner: Caller, other: Caller, data: OwnedData): Promise<void> {
  await expectNoAccess(other, data);
  await expectStillOwned(owner, data);
}
