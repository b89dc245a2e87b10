// Edits reach the segments: saving corrected text (or corrected segments) changes what every export,
// the JSON segments and the subtitles show. Real speech (jfk.wav twice, with pauses) and a real Azurite.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeWav, inspectWav } from "@/lib/audio/wav";
import { configure, readFixture, upload, waitForJob } from "../helpers/api";
import { docxParagraphs } from "../helpers/docx";
import {
  expectError,
  exportTranscript,
  getTranscript,
  parseCsv,
  putTranscript,
  type SavedTranscript,
} from "../helpers/library";

type Timed = { start: number; end: number; text: string };

let workDir: string;
let id: string;
/** The segments as recognised, before any edit. */
let recognised: SavedTranscript;

const closing = "Thank you, and good night.";

/** jfk.wav, 2 s of silence, jfk.wav again, 3 s of silence: two sentences, two segments, 27 s. */
function jfkTwiceWithPauses(): Buffer {
  const jfk = readFixture("jfk.wav");
  const info = inspectWav(jfk, jfk.length);
  if ("problem" in info || info.dataOffset === null || info.declaredDataBytes === null) {
    throw new Error("jfk.wav is not the PCM WAV this test expects");
  }
  expect({ rate: info.sampleRate, channels: info.channels, bits: info.bitsPerSample }).toEqual({
    rate: 16_000,
    channels: 1,
    bits: 16,
  });
  const data = jfk.subarray(info.dataOffset, info.dataOffset + info.declaredDataBytes);
  const speech = new Int16Array(data.length / 2);
  for (let i = 0; i < speech.length; i++) speech[i] = data.readInt16LE(i * 2);
  const gap = 2 * info.sampleRate;
  const tail = 3 * info.sampleRate;
  const samples = new Int16Array(speech.length * 2 + gap + tail);
  samples.set(speech, 0);
  samples.set(speech, speech.length + gap);
  return encodeWav(samples, info.sampleRate);
}

async function fetchSaved(): Promise<SavedTranscript> {
  const response = await getTranscript(id);
  expect(response.status).toBe(200);
  return ((await response.json()) as { transcript: SavedTranscript }).transcript;
}

async function save(body: Record<string, unknown>): Promise<Response> {
  return putTranscript(id, body, (await fetchSaved()).etag);
}

function words(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function seconds(timestamp: string): number {
  const [h, m, s] = timestamp.replace(",", ".").split(":");
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** Cues of an SRT or VTT file as `{ start, end, text }`, lines joined with spaces. */
function parseCues(body: string, format: "srt" | "vtt"): Timed[] {
  const blocks = body
    .replace(/^WEBVTT\n\n?/, "")
    .trim()
    .split(/\n\n/);
  return blocks.map((block) => {
    const lines = block.split("\n");
    if (format === "srt") expect(lines.shift()).toMatch(/^\d+$/);
    const timing = /^(\S+) --> (\S+)$/.exec(lines.shift() ?? "");
    if (!timing) throw new Error(`no timing line in ${JSON.stringify(block)}`);
    return { start: seconds(timing[1]!), end: seconds(timing[2]!), text: lines.join(" ") };
  });
}

function expectSameTimed(actual: Timed[], expected: Timed[]) {
  expect(actual.map((cue) => words(cue.text))).toEqual(expected.map((segment) => words(segment.text)));
  actual.forEach((cue, index) => {
    expect(cue.start).toBeCloseTo(expected[index]!.start, 3);
    expect(cue.end).toBeCloseTo(expected[index]!.end, 3);
  });
}

async function exported(format: string): Promise<Buffer> {
  const response = await exportTranscript(id, format);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Reloads the transcript and checks it and every export against the saved `text` and the
 * `segments` it should now have; `gone` are words that must no longer appear anywhere.
 */
async function expectEverywhere(text: string, segments: Timed[], gone: string[] = []) {
  const saved = await fetchSaved();
  expect(saved.text).toBe(text);
  expectSameTimed(saved.segments, segments);

  const txt = (await exported("txt")).toString("utf8");
  expect(txt).toContain(text.trim());

  const srt = (await exported("srt")).toString("utf8");
  expectSameTimed(parseCues(srt, "srt"), segments);
  const vtt = (await exported("vtt")).toString("utf8");
  expect(vtt.startsWith("WEBVTT\n\n")).toBe(true);
  expectSameTimed(parseCues(vtt, "vtt"), segments);

  const json = JSON.parse((await exported("json")).toString("utf8")) as SavedTranscript;
  expect(json.text).toBe(text);
  expectSameTimed(json.segments, segments);
  expect(words(json.segments.map((segment) => segment.text).join(" "))).toBe(words(text));

  const csv = (await exported("csv")).toString("utf8");
  expect(parseCsv(csv.slice(1))[1]![6]).toBe(text);

  const paragraphs = docxParagraphs(await exported("docx"));
  const transcript = paragraphs.slice(paragraphs.indexOf("Transcript") + 1);
  expect(transcript.map((paragraph) => paragraph.replace(/^\[\d+:\d\d\] /, ""))).toEqual(
    segments.map((segment) => words(segment.text)),
  );

  for (const word of gone) {
    for (const body of [txt, srt, vtt, JSON.stringify(json), csv, paragraphs.join("\n")]) {
      expect(body).not.toContain(word);
    }
  }
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-segment-edits-"));
  await configure({ DATA_DIR: path.join(workDir, "data") });
  const response = await upload(jfkTwiceWithPauses(), {
    name: "jfk twice.wav",
    fields: { language: "en-US" },
  });
  expect(response.status).toBe(202);
  id = ((await response.json()) as { id: string }).id;
  const job = await waitForJob(id);
  expect(job.body.status).toBe("succeeded");
  recognised = await fetchSaved();
});

afterAll(async () => {
  await configure({});
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("saving text makes the segments follow it", () => {
  let segments: Timed[];
  let last: Timed;
  /** The last segment that says "Americans": the one the word change lands in. */
  let target: number;
  let corrected: string;

  beforeAll(() => {
    // jfk.wav twice with pauses: several segments, with audio left after the last.
    segments = recognised.segments;
    expect(segments.length).toBeGreaterThanOrEqual(2);
    last = segments.at(-1)!;
    expect(recognised.durationSec).toBeCloseTo(27, 0);
    expect(recognised.durationSec - last.end).toBeGreaterThan(1);
    target = segments.findLastIndex((segment) => segment.text.includes("Americans"));
    expect(target).toBeGreaterThan(0);
    corrected = words(segments[target]!.text).replace("Americans", "citizens");
  });

  const withCorrection = () =>
    segments.map((segment, index) => (index === target ? { ...segment, text: corrected } : segment));

  it("changes a word: only its segment's text changes, every export shows it", async () => {
    const at = recognised.text.lastIndexOf("Americans");
    const text = `${recognised.text.slice(0, at)}citizens${recognised.text.slice(at + "Americans".length)}`;
    expect((await save({ text })).status).toBe(200);
    await expectEverywhere(text, withCorrection());
    // Untouched segments are stored exactly as recognised.
    const saved = await fetchSaved();
    saved.segments.forEach((segment, index) => {
      if (index !== target) expect(segment).toEqual(segments[index]);
    });
  });

  it("appends a sentence: it becomes a final segment up to the end of the audio", async () => {
    const text = `${(await fetchSaved()).text}\n\n${closing}`;
    expect((await save({ text })).status).toBe(200);
    await expectEverywhere(text, [
      ...withCorrection(),
      { start: last.end, end: recognised.durationSec, text: closing },
    ]);
  });

  it("deletes sentences: their segments disappear from every export", async () => {
    const text = `${corrected}\n\n${closing}`;
    expect((await save({ text })).status).toBe(200);
    await expectEverywhere(
      text,
      [
        { ...segments[target]!, text: corrected },
        { start: last.end, end: recognised.durationSec, text: closing },
      ],
      ["Americans"],
    );
  });

  it("keeps the segments as they are when only the title changes", async () => {
    const before = await fetchSaved();
    expect((await save({ text: before.text, title: "Inaugural address" })).status).toBe(200);
    const after = await fetchSaved();
    expect(after.title).toBe("Inaugural address");
    expect(after.segments).toEqual(before.segments);
  });
});

describe("saving explicit segments", () => {
  it("stores them as sent when the text is their texts joined (line breaks allowed)", async () => {
    const current = await fetchSaved();
    const segments = current.segments.map((segment, index) =>
      index === 0
        ? { ...segment, text: "And so, my fellow citizens: ask not what your country can do for you." }
        : segment,
    );
    const text = segments.map((segment) => segment.text).join("\n\n");
    const response = await save({ text, segments });
    expect(response.status).toBe(200);
    const saved = await fetchSaved();
    expect(saved.text).toBe(text);
    expect(saved.segments).toEqual(segments);
    const srt = parseCues((await exported("srt")).toString("utf8"), "srt");
    expect(srt[0]!.text).toBe("And so, my fellow citizens: ask not what your country can do for you.");
  });

  it("refuses segments that do not spell out the text with 422 and writes nothing", async () => {
    const current = await fetchSaved();
    const segments = current.segments.map((segment, index) =>
      index === 0 ? { ...segment, text: "Something else." } : segment,
    );
    for (const body of [
      { text: current.text, segments },
      { text: `${current.text} And more.`, segments: current.segments },
      { text: current.text, segments: [] },
    ]) {
      await expectError(await putTranscript(id, body, current.etag), 422, "segments_mismatch");
    }
    const after = await fetchSaved();
    expect(after.etag).toBe(current.etag);
    expect(after.segments).toEqual(current.segments);
  });

  it.each([
    [
      "out of order",
      [
        { start: 5, end: 6, text: "Two." },
        { start: 1, end: 2, text: "One." },
      ],
      "Two. One.",
    ],
    [
      "with a blank text",
      [
        { start: 0, end: 1, text: "One." },
        { start: 1, end: 2, text: "  " },
      ],
      "One.",
    ],
    ["with a negative end", [{ start: 0, end: -1, text: "One." }], "One."],
  ])("refuses segments %s with 400 and writes nothing", async (_label, segments, text) => {
    const current = await fetchSaved();
    await expectError(await putTranscript(id, { text, segments }, current.etag), 400, "validation_failed");
    expect((await fetchSaved()).etag).toBe(current.etag);
  });
});
