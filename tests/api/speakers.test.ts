// Speakers through the save path: segments saved with speakers, renamed, merged and moved with
// PUT /api/transcriptions/:id, returned by GET and carried into the exports. Real speech (jfk.wav).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renameSpeaker, setSegmentSpeaker, speakersOf } from "@/lib/domain/speakers";
import { configure, readFixture, upload, waitForJob } from "../helpers/api";
import { docxParagraphs } from "../helpers/docx";
import {
  expectError,
  exportTranscript,
  getTranscript,
  putTranscript,
  type SavedTranscript,
} from "../helpers/library";

type Segments = SavedTranscript["segments"];

let workDir: string;
let id: string;

async function fetchSaved(): Promise<SavedTranscript> {
  const response = await getTranscript(id);
  expect(response.status).toBe(200);
  return ((await response.json()) as { transcript: SavedTranscript }).transcript;
}

/** Saves `segments` (and the text they spell) with the current version; returns the answer's transcript. */
async function saveSegments(segments: Segments): Promise<SavedTranscript> {
  const current = await fetchSaved();
  const text = segments.map((segment) => segment.text).join(" ");
  const response = await putTranscript(id, { text, segments }, current.etag);
  expect(response.status).toBe(200);
  const { transcript } = (await response.json()) as { transcript: SavedTranscript };
  expect(response.headers.get("etag")).toBe(transcript.etag);
  return transcript;
}

async function exported(format: string): Promise<string> {
  const response = await exportTranscript(id, format);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer()).toString("utf8");
}

let diarised: Segments;

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-speakers-"));
  await configure({ DATA_DIR: path.join(workDir, "data") });
  const response = await upload(readFixture("jfk.wav"), { name: "jfk.wav", fields: { language: "en-US" } });
  expect(response.status).toBe(202);
  id = ((await response.json()) as { id: string }).id;
  expect((await waitForJob(id)).body.status).toBe("succeeded");
  const recognised = await fetchSaved();
  // Three segments over the recognised words and times, as a diarising engine would give them.
  const words = recognised.text.split(/\s+/).filter(Boolean);
  expect(words.length).toBeGreaterThanOrEqual(6);
  const third = Math.floor(words.length / 3);
  const parts = [words.slice(0, third), words.slice(third, 2 * third), words.slice(2 * third)];
  const step = recognised.durationSec / 3;
  diarised = parts.map((part, index) => ({
    start: Math.round(index * step * 100) / 100,
    end: Math.round((index + 1) * step * 100) / 100,
    text: part.join(" "),
    speaker: ["Guest-1", "Guest-2", "Guest-1"][index],
  }));
});

afterAll(async () => {
  await configure({});
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("speakers through the save path", () => {
  it("stores segments with their speakers and returns them", async () => {
    const saved = await saveSegments(diarised);
    expect(saved.segments.map((segment) => segment.speaker)).toEqual(["Guest-1", "Guest-2", "Guest-1"]);
    expect((await fetchSaved()).segments).toEqual(saved.segments);
  });

  it("renames a speaker on every one of its segments", async () => {
    const saved = await saveSegments(renameSpeaker((await fetchSaved()).segments, "Guest-1", "Ada"));
    expect(saved.segments.map((segment) => segment.speaker)).toEqual(["Ada", "Guest-2", "Ada"]);
    expect((await fetchSaved()).segments.map((segment) => segment.speaker)).toEqual([
      "Ada",
      "Guest-2",
      "Ada",
    ]);
  });

  it("carries the names into every export", async () => {
    const [first, second, third] = (await fetchSaved()).segments;
    const txt = await exported("txt");
    expect(txt).toContain(`Ada: ${first!.text}\n\nGuest-2: ${second!.text}\n\nAda: ${third!.text}\n`);
    expect(await exported("srt")).toContain(`Guest-2: ${second!.text}`);
    expect(await exported("vtt")).toContain(`<v Ada>${first!.text}`);
    const json = JSON.parse(await exported("json")) as SavedTranscript;
    expect(json.segments.map((segment) => segment.speaker)).toEqual(["Ada", "Guest-2", "Ada"]);
    const response = await exportTranscript(id, "docx");
    const paragraphs = docxParagraphs(Buffer.from(await response.arrayBuffer()));
    expect(paragraphs.some((paragraph) => paragraph.includes(`Guest-2: ${second!.text}`))).toBe(true);
  });

  it("moves one segment to another speaker", async () => {
    const saved = await saveSegments(setSegmentSpeaker((await fetchSaved()).segments, 2, "Guest-2"));
    expect(saved.segments.map((segment) => segment.speaker)).toEqual(["Ada", "Guest-2", "Guest-2"]);
  });

  it("merges one speaker into another", async () => {
    const saved = await saveSegments(renameSpeaker((await fetchSaved()).segments, "Guest-2", "Ada"));
    expect(speakersOf(saved.segments)).toEqual(["Ada"]);
    expect(await exported("txt")).toContain(
      `Ada: ${saved.segments.map((segment) => segment.text).join(" ")}\n`,
    );
  });

  it("trims names and refuses empty or overlong ones", async () => {
    const current = await fetchSaved();
    const text = current.segments.map((segment) => segment.text).join(" ");
    const named = (speaker: string) => current.segments.map((segment) => ({ ...segment, speaker }));
    for (const speaker of ["", "   ", "x".repeat(101)]) {
      await expectError(
        await putTranscript(id, { text, segments: named(speaker) }, current.etag),
        400,
        "validation_failed",
      );
    }
    expect((await fetchSaved()).etag).toBe(current.etag);
    const saved = await saveSegments(named("  Grace Hopper "));
    expect(speakersOf(saved.segments)).toEqual(["Grace Hopper"]);
  });
});
