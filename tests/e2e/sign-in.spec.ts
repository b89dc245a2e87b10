import { expect, test } from "@playwright/test";
import { signInServer } from "../../playwright.config";

// The second server of the config runs with AUTH_MODE=password.
test.use({ baseURL: `http://127.0.0.1:${signInServer.port}` });

test("password sign-in: a page asks for it, a wrong password is refused, sign-out ends the session", async ({
  page,
}) => {
  await page.goto("/recordings?q=kitchen");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Frecordings%3Fq%3Dkitchen$/);
  await expect(page.getByRole("heading", { name: "Sign in to Transcribe" })).toBeVisible();
  // Signed out, the header offers no sections that would only lead back here.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveCount(0);

  const user = page.getByLabel("User name");
  const password = page.getByLabel("Password");
  await expect(user).toBeFocused();
  await user.fill(signInServer.user);
  await password.fill("not the password");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("sign-in-error")).toContainText(/user name or password is not right/i);
  await expect(password).toHaveValue("");
  await expect(password).toBeFocused();

  await password.fill(signInServer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/recordings\?q=kitchen$/);
  await expect(page.getByTestId("signed-in-user")).toContainText(signInServer.user);
  await expect(page.getByRole("heading", { name: "Recordings", level: 1 })).toBeVisible();
  const cookies = await page.context().cookies();
  expect(cookies.find((cookie) => cookie.name === "transcribe_session")).toMatchObject({
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
  });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await page.context().cookies()).some((cookie) => cookie.name === "transcribe_session")).toBe(false);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  const api = await page.request.get("/api/jobs");
  expect(api.status()).toBe(401);
  expect(await api.json()).toMatchObject({ error: { code: "unauthorized" } });
});
