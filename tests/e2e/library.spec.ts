import fs from "node:fs";
import { expect, test } from "./csp-fixture";
import { jfkPath, transcribeJfk } from "./transcribe-fixture";

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

test("a segment corrected in the Segments view is saved, shown after a reload and exported", async ({
  page,
}) => {
  const id = await transcribeJfk(page);

  const job = (await (await page.request.get(`/api/transcriptions/${id}`)).json()) as {
    transcript: { segments: { text: string }[] };
  };
  const others = job.transcript.segments.slice(1).map((recognised) => recognised.text);

  await page.goto(`/transcripts/${id}`);
  const segment = page.getByTestId("segment").first();
  await expect(segment).toContainText(/fellow Americans/i);
  const recognised = await page.getByTestId("transcript-text").inputValue();
  const corrected = "And so, my fellow Americans: ask not what your country can do for you!";
  const correctedText = [corrected, ...others].join(" ");
  expect(recognised).not.toContain(corrected);

  // Escape drops an edit.
  await page.getByTestId("edit-segment").first().click();
  await page.getByTestId("segment-input").fill("Thrown away.");
  await page.getByTestId("segment-input").press("Escape");
  await expect(page.getByTestId("segment-input")).toHaveCount(0);
  await expect(page.getByTestId("edit-segment").first()).toBeFocused();
  await expect(segment).not.toContainText("Thrown away.");

  // Enter on the focused pencil opens the field; Enter applies; the text follows.
  await page.keyboard.press("Enter");
  const input = page.getByTestId("segment-input");
  await expect(input).toBeFocused();
  await input.fill(corrected);
  await input.press("Enter");
  await expect(segment).toContainText(corrected);
  await expect(page.getByTestId("transcript-text")).toHaveValue(correctedText);
  await expect(page.getByTestId("save-state")).toContainText(/unsaved/i);
  await page.getByTestId("save-button").click();
  await expect(page.getByTestId("save-state")).toContainText(/^saved/i);

  await page.reload();
  await expect(page.getByTestId("segment").first()).toContainText(corrected);
  await expect(page.getByTestId("transcript-text")).toHaveValue(correctedText);
  const srt = await (await page.request.get(`/api/transcriptions/${id}/export?format=srt`)).text();
  expect(srt).toMatch(
    new RegExp(
      `^1\\n00:00:\\d\\d,\\d{3} --> 00:00:\\d\\d,\\d{3}\\n${corrected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n(\\n|$)`,
    ),
  );

  // The player still follows the segments: selecting one plays it and marks it.
  await page.getByTestId("segment").first().click();
  await expect(page.getByTestId("segment").first()).toHaveAttribute("data-active", "true");

  expect((await page.request.delete(`/api/transcriptions/${id}`)).status()).toBe(204);
});
