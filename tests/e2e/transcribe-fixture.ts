// Uploads tests/fixtures/jfk.wav through the API and waits for its transcript.
import path from "node:path";
import fs from "node:fs";
import { expect, type Page } from "@playwright/test";

export const jfkPath = path.resolve(__dirname, "..", "fixtures", "jfk.wav");

/** Resolves with the job's id once its transcript is saved. */
export async function transcribeJfk(page: Page): Promise<string> {
  const posted = await page.request.post("/api/transcriptions", {
    multipart: {
      audio: { name: "jfk.wav", mimeType: "audio/wav", buffer: fs.readFileSync(jfkPath) },
      language: "en-US",
      diarize: "false",
    },
  });
  expect(posted.status()).toBe(202);
  const { id } = (await posted.json()) as { id: string };
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`/api/transcriptions/${id}`)).json()) as { status: string }).status,
    )
    .toBe("succeeded");
  return id;
}
