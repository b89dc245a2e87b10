// AUTH_MODE=entra through the route handlers: Azure Container Apps authentication's
// X-MS-CLIENT-PRINCIPAL* headers name the user, the tenant and user allow-lists decide who may in,
// and two people of the same tenant reach nothing of each other's (404). A password session cookie
// means nothing in this mode.
import { configure, readFixture } from "../helpers/api";
import {
  callApi,
  caller,
  entraHeaders,
  expectEnvelope,
  expectIsolated,
  makeOwnedData,
  makeSecret,
  makeUser,
  signInAs,
} from "../helpers/auth";

const jfk = readFixture("jfk.wav");
const tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const otherTenant = "11111111-2222-3333-4444-555555555555";
const run = Math.random().toString(16).slice(2, 10);
const ann = { id: `aaaaaaaa-0000-4000-8000-${run}0001`, name: `ann-${run}@contoso.com`, tenant };
const ben = { id: `bbbbbbbb-0000-4000-8000-${run}0002`, name: `ben-${run}@contoso.com`, tenant };
const eve = {
  id: `eeeeeeee-0000-4000-8000-${run}0003`,
  name: `eve-${run}@fabrikam.com`,
  tenant: otherTenant,
};

const jobsAs = (headers: Record<string, string>) => callApi("/api/jobs", { headers });

beforeAll(async () => {
  await configure({ SPEECH_PROVIDER: "fake", AUTH_MODE: "entra", AUTH_ENTRA_TENANTS: tenant.toUpperCase() });
});

describe("Entra ID through Container Apps authentication", () => {
  it("takes the user from the platform's headers and says who is signed in, with the platform's sign-out", async () => {
    expect((await jobsAs(entraHeaders(ann))).status).toBe(200);
    const session = await callApi("/api/auth/session", { headers: entraHeaders(ann) });
    expect(await session.json()).toEqual({
      mode: "entra",
      user: { name: ann.name },
      signOutUrl: "/.auth/logout",
    });
    const nobody = await callApi("/api/auth/session");
    expect(await nobody.json()).toEqual({ mode: "entra", user: null, signOutUrl: "/.auth/logout" });
  });

  it("answers 401 without the headers, and for a tenant that is not allowed", async () => {
    await expectEnvelope(await jobsAs({}), 401, "unauthorized");
    await expectEnvelope(await jobsAs(entraHeaders(eve)), 401, "unauthorized");
    // Without the principal's claims the tenant is unknown: not allowed either.
    const { "x-ms-client-principal": _claims, ...bare } = entraHeaders(ann);
    expect(_claims).toBeTruthy();
    await expectEnvelope(await jobsAs(bare), 401, "unauthorized");
  });

  it("has no password sign-in, and a session cookie is no credential here", async () => {
    const user = await makeUser("carol");
    const secret = makeSecret();
    await configure({ AUTH_MODE: "password", AUTH_USERS: user.entry, AUTH_SECRET: secret });
    const cookie = await signInAs(user);
    await configure({ AUTH_MODE: "entra", AUTH_USERS: undefined, AUTH_SECRET: undefined });
    await expectEnvelope(await jobsAs({ cookie }), 401, "unauthorized");
    const attempt = await callApi("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: user.name, password: user.password }),
    });
    await expectEnvelope(attempt, 404, "not_found");
  });

  it("lets in only the listed users when AUTH_ENTRA_USERS is set (object id or name)", async () => {
    await configure({ AUTH_ENTRA_USERS: `${ann.id.toUpperCase()}, ${ben.name}` });
    expect((await jobsAs(entraHeaders(ann))).status).toBe(200);
    expect((await jobsAs(entraHeaders(ben))).status).toBe(200);
    await expectEnvelope(
      await jobsAs(
        entraHeaders({ ...ann, id: "cccccccc-0000-4000-8000-000000000009", name: "cat@contoso.com" }),
      ),
      401,
      "unauthorized",
    );
    // Both lists apply: a listed user of another tenant stays out.
    await configure({ AUTH_ENTRA_USERS: `${ann.name},${eve.name}` });
    await expectEnvelope(await jobsAs(entraHeaders(eve)), 401, "unauthorized");
    await configure({ AUTH_ENTRA_TENANTS: undefined });
    expect((await jobsAs(entraHeaders(eve))).status).toBe(200);
    await configure({ AUTH_ENTRA_TENANTS: tenant, AUTH_ENTRA_USERS: undefined });
  });

  it("keeps two people of one tenant apart: each reaches nothing of the other's (404)", async () => {
    const a = caller("ann", entraHeaders(ann));
    const b = caller("ben", entraHeaders(ben));
    const data = await makeOwnedData(a, jfk);
    await expectIsolated(a, b, data);
    // The same name with another object id is another person.
    await expectIsolated(
      a,
      caller("ann again", entraHeaders({ ...ann, id: `dddddddd-0000-4000-8000-${run}0004` })),
      data,
    );
  });
});
