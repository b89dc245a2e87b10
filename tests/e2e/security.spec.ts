// The browser's side of the protections: every page runs under its nonce CSP with no violation,
// another site cannot frame the app, and forms another site's page submits are refused.
import type { Browser, Page } from "@playwright/test";
import { jfkPath } from "./transcribe-fixture";
import { expect, test } from "./csp-fixture";

const evilOrigin = "http://evil.test";

/** A page of another site (served by Playwright itself) with this HTML. */
async function evilPage(browser: Browser, html: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(`${evilOrigin}/**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/html",
      body: `<!doctype html><html><body>${html}</body></html>`,
    }),
  );
  await page.goto(`${evilOrigin}/`);
  return page;
}

async function recordingCount(page: Page): Promise<number> {
  const response = await page.request.get("/api/recordings?limit=100");
  return ((await response.json()) as { items: unknown[] }).items.length;
}

test("every page carries its headers and runs under its nonce CSP without a violation", async ({ page }) => {
  for (const pathname of ["/", "/recordings", "/outbox", "/no-such-page"]) {
    const response = await page.goto(pathname);
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["permissions-policy"]).toMatch(/microphone=\(self\)/);
    // Hydrated: the client's scripts ran (the theme button answers).
    await expect(page.getByRole("button", { name: /theme/i })).toBeVisible();
  }
  await page.goto("/");
  await expect(page.getByTestId("engine-status")).toContainText(/ready/i);
});

test("another site cannot show the app in a frame", async ({ browser, baseURL }) => {
  const page = await evilPage(
    browser,
    `<iframe id="app" src="${baseURL}/recordings" width="800" height="600"></iframe>`,
  );
  await page.waitForTimeout(1500);
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  const framedText = frame
    ? await frame
        .locator("body")
        .innerText()
        .catch(() => "")
    : "";
  expect(framedText).not.toMatch(/Recordings/);
  await page.context().close();
});

test("forms another site's page submits (multipart upload, text/plain) are refused", async ({
  browser,
  baseURL,
  page,
}) => {
  const before = await recordingCount(page);
  const upload = await evilPage(
    browser,
    `<form id="f" method="POST" enctype="multipart/form-data" action="${baseURL}/api/transcriptions">
       <input type="file" name="audio"><input name="language" value="en-US"><button>Send</button>
     </form>`,
  );
  await upload.locator('input[type="file"]').setInputFiles(jfkPath);
  await Promise.all([upload.waitForURL(`${baseURL}/api/transcriptions`), upload.locator("button").click()]);
  await expect(upload.locator("body")).toContainText('"code":"cross_site"');
  await upload.context().close();

  const plain = await evilPage(
    browser,
    `<form id="f" method="POST" enctype="text/plain" action="${baseURL}/api/transcriptions/2d1zk5hl3lc6o40b4/email">
       <input name='{"to":"victim@example.com","x":"' value='"}'><button>Send</button>
     </form>`,
  );
  await Promise.all([plain.waitForURL(/\/email$/), plain.locator("button").click()]);
  await expect(plain.locator("body")).toContainText('"code":"cross_site"');
  await plain.context().close();

  expect(await recordingCount(page)).toBe(before);
});
