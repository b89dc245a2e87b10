import path from "node:path";
import { chromium } from "@playwright/test";
import { expect, test, watchCsp } from "./csp-fixture";
import { chromiumArgs } from "../../playwright.config";
import { fakeMicFile } from "./global-setup";

const fixtures = path.resolve(__dirname, "..", "fixtures");

test("upload a recording and read its transcript", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("engine-status")).toContainText(/ready/i);
  // With every service configured there is no banner.
  await expect(page.getByTestId("service-banner")).toHaveCount(0);
  // The speaker settings follow what the engine can do.
  const health = (await (await page.request.get("/api/health")).json()) as {
    engines: { speech: { diarization: boolean } };
  };
  const speakerControls = [
    page.getByRole("switch", { name: "Identify speakers" }),
    page.getByRole("spinbutton", { name: "Number of speakers" }),
  ];
  for (const control of speakerControls) {
    await expect(control).toBeVisible();
    if (health.engines.speech.diarization) await expect(control).toBeEnabled();
    else await expect(control).toBeDisabled();
  }
  await page.getByTestId("file-input").setInputFiles(path.join(fixtures, "jfk.wav"));
  await expect(page.getByTestId("transcript-text")).toHaveValue(/ask not what your country can do for you/i);
  await expect(page.getByTestId("error-area")).toBeEmpty();
});

test("a file that is not audio gets a readable error", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("file-input").setInputFiles({
    name: "notes.wav",
    mimeType: "audio/wav",
    buffer: Buffer.from("These are meeting notes, not audio.\n".repeat(40)),
  });
  const row = page.getByTestId("job-row").filter({ hasText: "notes.wav" }).first();
  await expect(row.getByRole("alert")).toContainText(/not a supported audio or video format/i);
});

test("record from the microphone and read the transcript", async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: false,
    args: [
      ...chromiumArgs,
      "--headless=new",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${fakeMicFile}%noloop`,
    ],
  });
  try {
    const context = await browser.newContext({
      baseURL: test.info().project.use.baseURL,
      permissions: ["microphone"],
    });
    const cspViolations = await watchCsp(context);
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.getByTestId("engine-status")).toContainText(/ready/i);
    await page.getByTestId("record-button").click();

    const meter = page.getByTestId("level-meter");
    await expect
      .poll(async () => Number((await meter.getAttribute("data-level")) ?? 0), { timeout: 10_000 })
      .toBeGreaterThan(0.01);

    await page.waitForTimeout(12_500);
    await page.getByTestId("record-button").click();
    await expect(page.getByTestId("transcript-text")).toHaveValue(/fellow americans/i);
    await expect(page.getByTestId("transcript-text")).toHaveValue(/what you can do for your country/i);
    expect(cspViolations).toEqual([]);
  } finally {
    await browser.close();
  }
});
