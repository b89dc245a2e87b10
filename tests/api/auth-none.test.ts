// AUTH_MODE=none (the default): every request acts for the configured owner, whatever it sends.
// Data of a signed-in user (kept from when sign-in was on) stays out of its reach, with that user's
// cookie or made-up Entra headers too, and is still theirs once sign-in is back.
import { configure, readFixture } from "../helpers/api";
import {
  callApi,
  caller,
  entraHeaders,
  expectEnvelope,
  expectNoAccess,
  expectStillOwned,
  makeOwnedData,
  makeSecret,
  makeUser,
  signInAs,
} from "../helpers/auth";

const jfk = readFixture("jfk.wav");

it("acts for the configured owner only: a signed-in user's data stays out of its reach (404)", async () => {
  const dana = await makeUser("dana");
  const password = { AUTH_MODE: "password", AUTH_USERS: dana.entry, AUTH_SECRET: makeSecret() };
  const none = { AUTH_MODE: "none", AUTH_USERS: undefined, AUTH_SECRET: undefined };
  await configure({ SPEECH_PROVIDER: "fake", ...password });
  const cookie = await signInAs(dana);
  const danas = await makeOwnedData(caller("dana", { cookie }), jfk);

  await configure(none);
  const local = caller("local", {});
  const locals = await makeOwnedData(local, jfk);
  const entra = entraHeaders({
    id: "00000000-0000-4000-8000-00000000000d",
    name: "dana@contoso.com",
    tenant: "t",
  });
  await expectNoAccess(local, danas);
  await expectNoAccess(caller("local with Dana's cookie", { cookie }), danas);
  await expectNoAccess(caller("local with Entra headers", entra), danas);
  // Those headers change nothing: the request is the local owner's.
  await expectStillOwned(caller("local with Entra headers", entra), locals);
  await expectStillOwned(caller("local with Dana's cookie", { cookie }), locals);

  // Signing in is off; the session route says so.
  await expectEnvelope(
    await callApi("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: dana.name, password: dana.password }),
    }),
    404,
    "not_found",
  );
  expect(await (await callApi("/api/auth/session", { headers: { cookie } })).json()).toEqual({
    mode: "none",
    user: null,
  });

  // With sign-in back on, Dana has everything, and the local owner's data is not hers.
  await configure(password);
  const danaAgain = caller("dana", { cookie });
  await expectStillOwned(danaAgain, danas);
  await expectNoAccess(danaAgain, locals);
});
