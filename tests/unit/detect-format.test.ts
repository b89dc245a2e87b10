import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { detectFormat, sniffLength, type DetectedFormat } from "@/lib/audio/detect-format";
import { runFfmpegAsync } from "../helpers/ffmpeg";

const jfk = path.join(__dirname, "..", "fixtures", "jfk.wav");
const evalFormats = path.resolve(__dirname, "..", "..", "..", "shared", "eval", "hard", "formats");
let workDir: string;

/** Output file name -> ffmpeg arguments that make it from two seconds of jfk.wav. */
const clip = ["-t", "2", "-i", jfk];
const video = ["-f", "lavfi", "-i", "color=c=black:s=64x64:d=2", ...clip, "-c:v", "mpeg4", "-shortest"];
const recipes: Record<string, string[]> = {
  "id3.mp3": [...clip, "-c:a", "libmp3lame", "-b:a", "32k"],
  "bare-16k.mp3": [...clip, "-c:a", "libmp3lame", "-b:a", "32k", "-id3v2_version", "0", "-write_xing", "0"],
  "bare-44k.mp3": [...clip, "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "64k", "-id3v2_version", "0"],
  "opus.ogg": [...clip, "-c:a", "libopus", "-b:a", "24k"],
  "vorbis.ogg": [...clip, "-c:a", "libvorbis"],
  "opus.webm": [...clip, "-c:a", "libopus", "-b:a", "24k"],
  "aac.m4a": [...clip, "-c:a", "aac", "-b:a", "32k"],
  "adts.aac": [...clip, "-c:a", "aac", "-b:a", "32k", "-f", "adts"],
  "audio.flac": [...clip, "-c:a", "flac"],
  "video.mp4": [...video, "-c:a", "aac"],
  "video.mkv": [...video, "-c:a", "flac"],
  "audio.wav": [...clip, "-c:a", "pcm_s16le"],
};

/** The first bytes of a file, as the upload handler hands them over. */
function head(file: string): Buffer {
  return fs.readFileSync(path.join(workDir, file)).subarray(0, sniffLength);
}

/** Deterministic pseudo-random bytes (LCG), so a failure can be reproduced. */
function pseudoRandom(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-detect-"));
  await Promise.all(
    Object.entries(recipes).map(([name, args]) => runFfmpegAsync([...args, path.join(workDir, name)])),
  );
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe("detectFormat on files made by ffmpeg", () => {
  const audio = (format: DetectedFormat["format"], mime: string, extension: string) => ({
    format,
    mime,
    extension,
  });
  it.each([
    ["id3.mp3", audio("mp3", "audio/mpeg", "mp3")],
    ["bare-16k.mp3", audio("mp3", "audio/mpeg", "mp3")],
    ["bare-44k.mp3", audio("mp3", "audio/mpeg", "mp3")],
    ["opus.ogg", audio("ogg", "audio/ogg", "ogg")],
    ["vorbis.ogg", audio("ogg", "audio/ogg", "ogg")],
    ["opus.webm", audio("webm", "audio/webm", "webm")],
    ["aac.m4a", audio("mp4", "audio/mp4", "m4a")],
    ["adts.aac", audio("aac", "audio/aac", "aac")],
    ["audio.flac", audio("flac", "audio/flac", "flac")],
    ["video.mp4", audio("mp4", "video/mp4", "mp4")],
    ["video.mkv", audio("matroska", "video/x-matroska", "mkv")],
    ["audio.wav", audio("wav", "audio/wav", "wav")],
  ])("%s", (file, expected) => {
    expect(detectFormat(head(file))).toEqual(expected);
  });

  it("checks the MP3 frames really are MPEG frames, not just a sync word", () => {
    const bare = head("bare-16k.mp3");
    expect(bare[0]).toBe(0xff); // no ID3 tag: detection rests on the frame headers
    const broken = Buffer.from(bare);
    broken.fill(0, 4); // first frame header intact, the frame after it gone
    expect(detectFormat(broken)).toBeNull();
  });

  it("checks the second ADTS frame of raw AAC", () => {
    const broken = Buffer.from(head("adts.aac"));
    broken.fill(0, 7);
    expect(detectFormat(broken)).toBeNull();
  });

  it("tells WebM from other Matroska files by the DocType", () => {
    expect(detectFormat(head("opus.webm"))?.format).toBe("webm");
    const relabelled = Buffer.from(head("opus.webm"));
    const docType = relabelled.indexOf("webm");
    expect(docType).toBeGreaterThan(4);
    relabelled.write("xxxx", docType, "ascii");
    expect(detectFormat(relabelled)).toEqual({
      format: "matroska",
      mime: "video/x-matroska",
      extension: "mkv",
    });
  });

  it("only looks at bytes: a WAV named .mp3 is still a WAV", () => {
    fs.copyFileSync(path.join(workDir, "audio.wav"), path.join(workDir, "liar.mp3"));
    expect(detectFormat(head("liar.mp3"))?.format).toBe("wav");
  });
});

describe("detectFormat refuses what is not audio or video", () => {
  it.each([1, 2, 3, 42, 2024])("pseudo-random bytes (seed %i)", (seed) => {
    expect(detectFormat(pseudoRandom(sniffLength, seed))).toBeNull();
  });

  it("an empty buffer and tiny prefixes", () => {
    expect(detectFormat(new Uint8Array(0))).toBeNull();
    expect(detectFormat(Uint8Array.of(0xff))).toBeNull();
    expect(detectFormat(Buffer.from("RIFF"))).toBeNull();
  });

  it("UTF-8 text, even when named like audio", () => {
    const text = "Meeting notes — agenda: café budget, naïve estimates, 42 items. ✔\n".repeat(20);
    fs.writeFileSync(path.join(workDir, "notes.wav"), text, "utf8");
    expect(detectFormat(head("notes.wav"))).toBeNull();
  });

  it.each([
    ["PNG", Buffer.from("89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61", "hex")],
    ["JPEG", Buffer.from("ffd8ffe000104a46494600010101004800480000ffdb0043", "hex")],
    ["PDF", Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "latin1")],
    [
      "ZIP",
      Buffer.from("504b0304140000000800a1b2c3d4000000000000000000000000090000006e6f7465732e747874", "hex"),
    ],
    ["gzip", Buffer.from("1f8b0800000000000003cb48cdc9c95728cf2fca490100", "hex")],
    ["ELF", Buffer.from("7f454c460201010000000000000000000300", "hex")],
    ["RIFF that is not WAVE (WebP)", Buffer.from("RIFF\x24\x00\x00\x00WEBPVP8 ", "latin1")],
  ])("%s header", (_name, bytes) => {
    expect(detectFormat(bytes)).toBeNull();
  });
});

const haveEval = fs.existsSync(evalFormats);
(haveEval ? describe : describe.skip)("detectFormat on the shared evaluation recordings", () => {
  it.each([
    ["ls1221-135766-0001.mp3", "mp3"],
    ["ls1221-135766-0001.opus", "ogg"],
    ["ls1221-135766-0001.vorbis.ogg", "ogg"],
    ["ls1221-135766-0001.webm", "webm"],
    ["ls1221-135766-0001.m4a", "mp4"],
    ["ls1221-135766-0001.flac", "flac"],
    ["ls1221-135766-0001_44k1_stereo.wav", "wav"],
    ["ls1221-135766-0001_48k_float32.wav", "wav"],
    ["ls1221-135766-0001_8k.wav", "wav"],
    ["ls1221-135766-0001.txt", null],
  ])("%s", (file, format) => {
    const bytes = fs.readFileSync(path.join(evalFormats, file)).subarray(0, sniffLength);
    expect(detectFormat(bytes)?.format ?? null).toBe(format);
  });
});
