import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./csp-fixture";
import { transcribeJfk } from "./transcribe-fixture";

const fixtures = path.resolve(__dirname, "..", "fixtures");

/** The samples of a 16 kHz mono 16-bit WAV fixture (its `data` chunk). */
function pcmOf(name: string): Buffer {
  const wav = fs.readFileSync(path.join(fixtures, name));
  for (let at = 12; at + 8 <= wav.length;) {
    const size = wav.readUInt32LE(at + 4);
    if (wav.toString("ascii", at, at + 4) === "data") return wav.subarray(at + 8, at + 8 + size);
    at += 8 + size + (size % 2);
  }
  throw new Error(`${name} has no data chunk`);
}

/** Two voices taking turns: a synthetic voice, President Kennedy, the synthetic voice again. */
function conversationWav(): Buffer {
  const pause = Buffer.alloc(16_000 * 2 * 0.8);
  const data = Buffer.concat(
    ["kitchen.wav", "jfk.wav", "paris.wav", "kitchen.wav"]
      .flatMap((name) => [pause, pcmOf(name)])
      .concat(pause),
  );
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16_000, 24);
  header.writeUInt32LE(32_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

test("speakers are identified when asked, and labelled on the transcript's segments", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("engine-status")).toContainText(/ready/i);
  const identify = page.getByRole("switch", { name: "Identify speakers" });
  await identify.click();
  await expect(identify).toHaveAttribute("aria-checked", "true");
  await page.getByTestId("file-input").setInputFiles({
    name: "conversation.wav",
    mimeType: "audio/wav",
    buffer: conversationWav(),
  });
  await expect(page.getByTestId("transcript-text")).toHaveValue(/ask not what your country can do for you/i);
  await expect(page.getByText("Speaker identification")).toBeVisible();
  await page.getByRole("tab", { name: "Segments" }).click();
  const labels = page.getByTestId("speaker");
  await expect(labels.first()).toBeVisible();
  const names = await labels.allTextContents();
  expect(names[0]).toBe("Speaker 1");
  expect(new Set(names)).toEqual(new Set(["Speaker 1", "Speaker 2"]));
  // The turns come back in order: the synthetic voice, Kennedy, then the synthetic voice.
  expect(names.filter((name, i) => i === 0 || name !== names[i - 1])).toEqual([
    "Speaker 1",
    "Speaker 2",
    "Speaker 1",
  ]);
});

type Segment = { start: number; end: number; text: string; speaker?: string };

test("speakers are renamed, reassigned and merged in the editor, saved and exported", async ({ page }) => {
  const id = await transcribeJfk(page);

  // Three segments over the recognised words, as a diarising engine would give them.
  const saved = (await (await page.request.get(`/api/transcriptions/${id}`)).json()) as {
    transcript: { text: string; durationSec: number; etag: string };
  };
  const words = saved.transcript.text.split(/\s+/).filter(Boolean);
  const third = Math.floor(words.length / 3);
  const parts = [words.slice(0, third), words.slice(third, 2 * third), words.slice(2 * third)];
  const step = saved.transcript.durationSec / 3;
  const segments: Segment[] = parts.map((part, index) => ({
    start: Math.round(index * step * 100) / 100,
    end: Math.round((index + 1) * step * 100) / 100,
    text: part.join(" "),
    speaker: ["Guest-1", "Guest-2", "Guest-1"][index],
  }));
  const put = await page.request.put(`/api/transcriptions/${id}`, {
    headers: { "if-match": saved.transcript.etag },
    data: { text: segments.map((segment) => segment.text).join(" "), segments },
  });
  expect(put.status()).toBe(200);

  await page.goto(`/transcripts/${id}`);
  const labels = page.getByTestId("speaker");
  await expect(labels).toHaveText(["Guest-1", "Guest-2", "Guest-1"]);

  // Rename Guest-1 everywhere, from the keyboard.
  await labels.first().focus();
  await page.keyboard.press("Enter");
  const name = page.getByTestId("speaker-name");
  await expect(name).toBeFocused();
  await name.fill("Ada");
  await name.press("Enter");
  await expect(labels).toHaveText(["Ada", "Guest-2", "Ada"]);
  await expect(labels.first()).toBeFocused();
  await expect(page.getByTestId("save-state")).toContainText(/unsaved/i);

  // Escape closes the panel without a change.
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("speaker-panel")).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("speaker-panel")).toHaveCount(0);

  // Give the last segment to Guest-2.
  await labels.nth(2).click();
  await page.getByTestId("move-to").filter({ hasText: "Guest-2" }).click();
  await expect(labels).toHaveText(["Ada", "Guest-2", "Guest-2"]);

  await page.getByTestId("save-button").click();
  await expect(page.getByTestId("save-state")).toContainText(/^saved/i);
  await page.reload();
  await expect(labels).toHaveText(["Ada", "Guest-2", "Guest-2"]);

  const txt = await (await page.request.get(`/api/transcriptions/${id}/export?format=txt`)).text();
  expect(txt).toContain(`Ada: ${segments[0]!.text}\n\nGuest-2: ${segments[1]!.text} ${segments[2]!.text}\n`);

  // Merge Guest-2 into Ada: one speaker left.
  await labels.nth(1).click();
  await page.getByTestId("merge-into").filter({ hasText: "Ada" }).click();
  await expect(labels).toHaveText(["Ada", "Ada", "Ada"]);
  await page.getByTestId("save-button").click();
  await expect(page.getByTestId("save-state")).toContainText(/^saved/i);
  const json = (await (await page.request.get(`/api/transcriptions/${id}`)).json()) as {
    transcript: { segments: Segment[] };
  };
  expect(json.transcript.segments.map((segment) => segment.speaker)).toEqual(["Ada", "Ada", "Ada"]);

  expect((await page.request.delete(`/api/transcriptions/${id}`)).status()).toBe(204);
});
