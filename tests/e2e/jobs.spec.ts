import fs from "node:fs";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./csp-fixture";
import { runFfmpeg } from "../helpers/ffmpeg";

const fixtures = path.resolve(__dirname, "..", "fixtures");
const fixture = (name: string) => path.join(fixtures, name);
/** jfk.wav 60 times over (11 minutes): long enough to be caught running, and to queue others behind it. */
const longFile = path.resolve(__dirname, "..", "..", "test-results", "long-speech.wav");

test.beforeAll(() => {
  if (fs.existsSync(longFile)) return;
  fs.mkdirSync(path.dirname(longFile), { recursive: true });
  runFfmpeg(["-stream_loop", "59", "-i", fixture("jfk.wav"), "-c:a", "pcm_s16le", longFile]);
});

async function openPage(page: Page) {
  await page.goto("/");
  await expect(page.getByTestId("engine-status")).toContainText(/ready/i);
}

/**
 * The newest row of a file (earlier tests may have left rows with the same name). Rows of this
 * page's uploads carry the file's name; rows restored from the server carry the job's title,
 * which is the name without its extension.
 */
const rowOf = (page: Page, name: string): Locator => {
  const base = name.replace(/\.[a-z0-9]+$/i, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return page
    .getByTestId("job-row")
    .filter({ has: page.getByTestId("job-title").getByText(new RegExp(`^${base}(\\.[a-z0-9]+)?$`, "i")) })
    .first();
};

test("several files chosen at once each become a job, reach Done and can be opened", async ({ page }) => {
  await openPage(page);
  await page.getByTestId("file-input").setInputFiles([fixture("jfk.wav"), fixture("paris.wav")]);

  const jfk = rowOf(page, "jfk.wav");
  const paris = rowOf(page, "paris.wav");
  await expect(jfk).toHaveAttribute("data-status", "succeeded");
  await expect(paris).toHaveAttribute("data-status", "succeeded");
  await expect(jfk.getByTestId("job-progress")).toHaveAttribute("aria-valuetext", "Done");
  await expect(jfk.getByTestId("job-progress")).toHaveAttribute("aria-valuenow", "100");
  await expect(jfk.getByTestId("job-facts")).toContainText(/took \d+:\d\d/);

  // The first file of the batch is the one watched: it opens in the editor.
  await expect(page.getByTestId("transcript-text")).toHaveValue(/ask not what your country can do for you/i);
  await paris.getByRole("button", { name: /open/i }).click();
  await expect(page.getByTestId("transcript-text")).toHaveValue(/paris/i);

  // Coming back later shows the finished jobs.
  await page.reload();
  await expect(rowOf(page, "jfk.wav")).toHaveAttribute("data-status", "succeeded");
  await expect(rowOf(page, "paris.wav")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("error-area")).toBeEmpty();
});

test("words arrive while a long file is transcribed; queued and running jobs can be cancelled and retried", async ({
  page,
}) => {
  await openPage(page);
  await page.getByTestId("file-input").setInputFiles(longFile);
  const long = rowOf(page, "long-speech.wav");
  const bar = long.getByTestId("job-progress");
  await expect(bar).toHaveAttribute("aria-valuetext", /^Transcribing \d+ %$/);
  await expect(page.getByTestId("live-segments")).toContainText(/fellow americans/i);
  await expect(long.getByTestId("job-facts")).toContainText(/left/);
  // The label and the fill are the same number.
  const [label, now] = await bar.evaluate((element) => [
    element.getAttribute("aria-valuetext"),
    element.getAttribute("aria-valuenow"),
  ]);
  expect(label).toBe(`Transcribing ${now} %`);

  // Upload stays usable while a job runs: the next file waits in the queue.
  await page.getByTestId("file-input").setInputFiles(fixture("kitchen.wav"));
  const kitchen = rowOf(page, "kitchen.wav");
  await expect(kitchen).toHaveAttribute("data-status", "queued");
  await expect(kitchen.getByTestId("job-progress")).toHaveAttribute(
    "aria-valuetext",
    /^Queued · \d+(st|nd|rd|th) in line$/,
  );
  await kitchen.getByRole("button", { name: /cancel/i }).click();
  await expect(kitchen).toHaveAttribute("data-status", "cancelled");
  await expect(kitchen).toContainText("Cancelled");

  await long.getByRole("button", { name: /cancel/i }).click();
  await expect(long).toHaveAttribute("data-status", "cancelled");

  // The cancelled file is still the one watched: retried, its transcript opens when it is done.
  await kitchen.getByRole("button", { name: /retry/i }).click();
  await expect(kitchen).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("transcript-text")).toHaveValue(/coffee|kitchen/i);
  await expect(long).toHaveAttribute("data-status", "cancelled");
});

test("a file that is not audio fails in its own row, named after itself, and the others go on", async ({
  page,
}) => {
  await openPage(page);
  const notes = {
    name: "notes.wav",
    mimeType: "audio/wav",
    buffer: Buffer.from("These are meeting notes, not audio.\n".repeat(40)),
  };
  const paris = { name: "paris.wav", mimeType: "audio/wav", buffer: fs.readFileSync(fixture("paris.wav")) };
  await page.getByTestId("file-input").setInputFiles([notes, paris]);

  const notesRow = rowOf(page, "notes.wav");
  await expect(notesRow).toHaveAttribute("data-status", "failed");
  const notesError = notesRow.getByRole("alert");
  await expect(notesError).toContainText(/not a supported audio or video format/i);
  await expect(notesError).toContainText("notes.wav");
  await expect(notesError).toBeInViewport();

  const parisRow = rowOf(page, "paris.wav");
  await expect(parisRow).toHaveAttribute("data-status", "succeeded");
  await expect(parisRow.getByTestId("job-error")).toHaveCount(0);
  await expect(page.getByTestId("transcript-text")).toHaveValue(/paris/i);

  // A new bad file gets its own row: its error never carries the earlier file's name.
  await page.getByTestId("file-input").setInputFiles({ ...notes, name: "memo.wav" });
  const memoError = rowOf(page, "memo.wav").getByRole("alert");
  await expect(memoError).toContainText(/not a supported audio or video format/i);
  await expect(memoError).toContainText("memo.wav");
  await expect(memoError).not.toContainText("notes.wav");
  await expect(page.getByTestId("error-area")).toBeEmpty();
});

test("on a phone, a failed file's error is in view", async ({ browser }) => {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport: { width: 390, height: 844 },
    isMobile: true,
  });
  try {
    const page = await context.newPage();
    await openPage(page);
    await page.getByTestId("file-input").setInputFiles({
      name: "phone-notes.wav",
      mimeType: "audio/wav",
      buffer: Buffer.from("Not audio either.\n".repeat(40)),
    });
    const error = rowOf(page, "phone-notes.wav").getByRole("alert");
    await expect(error).toContainText(/not a supported audio or video format/i);
    await expect(error).toBeInViewport();
  } finally {
    await context.close();
  }
});
