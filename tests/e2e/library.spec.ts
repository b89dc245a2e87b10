import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

const jfkPath = path.resolve(__dirname, "..", "fixtures", "jfk.wav");

test("a transcript lives in the library: stored, downloaded, edited, exported, deleted", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("engine-status")).toContainText(/ready/i);
  await page.getByTestId("file-input").setInputFiles(jfkPath);
  await expect(page.getByTestId("transcript-text")).toHaveValue(/ask not what your country/i);

  await page.goto("/recordings");
  const row = page.getByTestId("recording-row").filter({ hasText: "jfk.wav" }).first();
  await expect(row).toBeVisible();
  await expect(row).toContainText("0:11");
  await expect(row).toContainText(/KB/);
  const recordingId = await row.getAttribute("data-recording-id");
  expect(recordingId).toMatch(/^[0-9a-z]{17}$/);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    row.getByRole("link", { name: /download/i }).click(),
  ]);
  const downloaded = fs.readFileSync((await download.path())!);
  expect(downloaded.equals(fs.readFileSync(jfkPath))).toBe(true);

  await row.getByRole("link", { name: /open transcript/i }).click();
  await expect(page).toHaveURL(/\/transcripts\/[0-9a-z]{17}$/);
  const transcriptId = new URL(page.url()).pathname.split("/").pop();
  const editor = page.getByTestId("transcript-text");
  await expect(editor).toHaveValue(/fellow Americans/i);
  const edited =
    "And so, my fellow Americans: ask not what your country can do for you. Edited in the library.";
  await editor.fill(edited);
  await expect(page.getByTestId("save-state")).toContainText(/unsaved/i);
  await page.getByTestId("save-button").click();
  await expect(page.getByTestId("save-state")).toContainText(/^saved/i);
  await page.reload();
  await expect(page.getByTestId("transcript-text")).toHaveValue(edited);

  await page.goto("/recordings");
  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /export all/i }).click(),
  ]);
  expect(fs.readFileSync((await csv.path())!, "utf8")).toContain("Edited in the library.");

  const sameRow = page.locator(`[data-testid="recording-row"][data-recording-id="${recordingId}"]`);
  await sameRow.getByTestId("delete-recording").click();
  await page.getByTestId("confirm-delete").click();
  await expect(sameRow).toHaveCount(0);
  expect((await page.request.get(`/api/transcriptions/${transcriptId}`)).status()).toBe(404);
  const audio = await page.request.get(`/api/recordings/${recordingId}/audio`);
  expect(audio.status()).toBe(404);
});
