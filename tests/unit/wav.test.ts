import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sniffLength } from "@/lib/audio/detect-format";
import { int16ToFloat32, readPcm, streamPcm, type PcmAudio } from "@/lib/audio/pcm";
import { encodeWav, inspectWav, type WavInfo, type WavProblem } from "@/lib/audio/wav";
import { runFfmpeg } from "../helpers/ffmpeg";

const jfk = fs.readFileSync(path.join(__dirname, "..", "fixtures", "jfk.wav"));
const jfkHead = jfk.subarray(0, sniffLength);
const evalFormats = path.resolve(__dirname, "..", "..", "..", "shared", "eval", "hard", "formats");
let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-wav-"));
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function expectInfo(result: WavInfo | WavProblem): WavInfo {
  if ("problem" in result)
    throw new Error(`expected a valid header, got ${result.problem}: ${result.message}`);
  return result;
}

function expectProblem(result: WavInfo | WavProblem, problem: WavProblem["problem"]): string {
  if (!("problem" in result))
    throw new Error(`expected ${problem}, got a valid header ${JSON.stringify(result)}`);
  expect(result.problem).toBe(problem);
  return result.message;
}

/** A valid one-second 16 kHz WAV to damage. */
function validWav(): Buffer {
  return encodeWav(
    new Int16Array(16_000).map((_, i) => Math.round(8000 * Math.sin(i / 10))),
    16_000,
  );
}

/** RIFF/WAVE container holding exactly these chunks. */
function riff(...chunks: Array<[id: string, body: Buffer]>): Buffer {
  const parts = chunks.map(([id, body]) => {
    const header = Buffer.alloc(8);
    header.write(id, 0, "ascii");
    header.writeUInt32LE(body.length, 4);
    return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
  });
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(12);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(body.length + 4, 4);
  header.write("WAVE", 8, "ascii");
  return Buffer.concat([header, body]);
}

describe("inspectWav on real files", () => {
  it("reads jfk.wav's header, skipping its LIST chunk", () => {
    const info = expectInfo(inspectWav(jfkHead, jfk.length));
    expect(info).toEqual({
      audioFormat: 1,
      channels: 1,
      sampleRate: 16_000,
      bitsPerSample: 16,
      declaredDataBytes: 352_000,
      dataOffset: 78,
    });
    expect(jfk.subarray(info.dataOffset! - 8, info.dataOffset! - 4).toString("ascii")).toBe("data");
    expect(jfk.length - info.dataOffset!).toBe(info.declaredDataBytes);
  });

  it("reports a cut-off upload as truncated, in seconds", () => {
    const message = expectProblem(inspectWav(jfkHead, 100_000), "truncated");
    expect(message).toContain("11.0 s"); // promised: 352000 bytes at 32000 bytes/s
    expect(message).toContain("3.1 s"); // arrived: (100000 - 78) / 32000
  });

  it("reports a header-only upload as truncated with nothing arrived", () => {
    const message = expectProblem(inspectWav(jfkHead.subarray(0, 78), 78), "truncated");
    expect(message).toMatch(/11\.0 s.*0\.0 s/);
  });

  it("accepts exactly the declared size and flags one byte less", () => {
    expect(expectInfo(inspectWav(jfkHead, 78 + 352_000)).declaredDataBytes).toBe(352_000);
    expectProblem(inspectWav(jfkHead, 78 + 351_999), "truncated");
  });
  // first `sniffLength` bytes make a valid file look like it has no sample data.
  it("accepts a valid WAV whose metadata pushes the data chunk past the sniffed head", () => {
    const file = path.join(workDir, "long-comment.wav");
    runFfmpeg([
      ...["-t", "1", "-i", path.join(__dirname, "..", "fixtures", "jfk.wav")],
      ...["-metadata", `comment=${"x".repeat(6000)}`, file],
    ]);
    const bytes = fs.readFileSync(file);
    expect(bytes.indexOf("data", 12, "ascii")).toBeGreaterThan(sniffLength);
    const info = expectInfo(inspectWav(bytes.subarray(0, sniffLength), bytes.length));
    expect(info).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16 });
  });
});

describe("inspectWav on broken headers", () => {
  it.each([
    ["0 channels", (b: Buffer) => b.writeUInt16LE(0, 22), /0 channels/],
    ["0 Hz", (b: Buffer) => b.writeUInt32LE(0, 24), /sample rate of 0 Hz/],
    ["a bogus codec", (b: Buffer) => b.writeUInt16LE(0x1234, 20), /unknown audio codec \(4660\)/],
    ["12-bit PCM", (b: Buffer) => b.writeUInt16LE(12, 34), /12 bits per sample/],
    ["a short fmt chunk", (b: Buffer) => b.writeUInt32LE(12, 16), /format chunk is too short/],
  ])("%s is a bad header", (_name, damage, reason) => {
    const wav = validWav();
    expectInfo(inspectWav(wav, wav.length));
    damage(wav);
    const message = expectProblem(inspectWav(wav, wav.length), "bad_header");
    expect(message).toMatch(reason);
  });

  it("a missing fmt chunk is a bad header", () => {
    const onlyData = riff(["data", Buffer.alloc(3200)]);
    expect(expectProblem(inspectWav(onlyData, onlyData.length), "bad_header")).toMatch(
      /before the format chunk/,
    );
    const noChunks = riff(["LIST", Buffer.from("INFOISFT\x04\x00\x00\x00test", "latin1")]);
    expect(expectProblem(inspectWav(noChunks, noChunks.length), "bad_header")).toMatch(/no format chunk/);
  });

  it("a format chunk without any data is a bad header", () => {
    const fmtOnly = riff(["fmt ", validWav().subarray(20, 36)]);
    expect(expectProblem(inspectWav(fmtOnly, fmtOnly.length), "bad_header")).toMatch(/no sample data/);
  });

  it("a chunk larger than the whole file is a bad header", () => {
    const wav = riff(
      ["fmt ", validWav().subarray(20, 36)],
      ["LIST", Buffer.alloc(16)],
      ["data", Buffer.alloc(64)],
    );
    const listSize = wav.indexOf("LIST", 0, "ascii") + 4;
    wav.writeUInt32LE(10_000_000, listSize);
    expect(expectProblem(inspectWav(wav, wav.length), "bad_header")).toMatch(/10000000 bytes/);
  });

  it("accepts an open-ended data size (0xFFFFFFFF or 0) from streaming writers", () => {
    for (const size of [0xffffffff, 0]) {
      const wav = validWav();
      wav.writeUInt32LE(size, 40);
      const info = expectInfo(inspectWav(wav, wav.length));
      expect(info.declaredDataBytes).toBeNull();
      expect(info.dataOffset).toBe(44);
      // Even a much shorter file is not "truncated": the writer never said how long it is.
      expectInfo(inspectWav(wav.subarray(0, 1000), 1000));
    }
  });
});

const haveEval = fs.existsSync(evalFormats);
(haveEval ? describe : describe.skip)("inspectWav on the shared evaluation recordings", () => {
  it.each([
    [
      "ls1221-135766-0001_44k1_stereo.wav",
      { audioFormat: 1, channels: 2, sampleRate: 44_100, bitsPerSample: 16 },
    ],
    [
      "ls1221-135766-0001_48k_float32.wav",
      { audioFormat: 0xfffe, channels: 1, sampleRate: 48_000, bitsPerSample: 32 },
    ],
    ["ls1221-135766-0001_8k.wav", { audioFormat: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 }],
  ])("%s", (file, expected) => {
    const bytes = fs.readFileSync(path.join(evalFormats, file));
    const info = expectInfo(inspectWav(bytes.subarray(0, sniffLength), bytes.length));
    expect(info).toMatchObject(expected);
    expect(info.declaredDataBytes).toBe(bytes.length - info.dataOffset!);
  });
});

describe("encodeWav", () => {
  const samples = Int16Array.of(0, 1, -1, 32767, -32768, 12345, -12345);

  it("writes a header inspectWav understands", () => {
    const wav = encodeWav(samples, 16_000);
    expect(wav.length).toBe(44 + samples.length * 2);
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(expectInfo(inspectWav(wav, wav.length))).toEqual({
      audioFormat: 1,
      channels: 1,
      sampleRate: 16_000,
      bitsPerSample: 16,
      declaredDataBytes: samples.length * 2,
      dataOffset: 44,
    });
    expect(wav.readUInt32LE(28)).toBe(32_000); // byte rate
    expect(wav.readUInt16LE(32)).toBe(2); // block align
  });

  it("round-trips the samples", () => {
    const wav = encodeWav(samples, 22_050);
    const info = expectInfo(inspectWav(wav, wav.length));
    expect(info.sampleRate).toBe(22_050);
    const back = Array.from(int16ToFloat32(wav.subarray(info.dataOffset!)), (value) => value * 32768);
    expect(back).toEqual(Array.from(samples));
  });

  it("copies only the viewed part of a larger sample buffer", () => {
    const view = new Int16Array([111, 222, 333, 444, 555, 666]).subarray(2, 5);
    const wav = encodeWav(view, 8000);
    expect(wav.length).toBe(44 + 6);
    expect([wav.readInt16LE(44), wav.readInt16LE(46), wav.readInt16LE(48)]).toEqual([333, 444, 555]);
  });

  it("makes files ffmpeg decodes back to the same samples", () => {
    const tone = new Int16Array(4000).map((_, i) =>
      Math.round(10_000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)),
    );
    const file = path.join(workDir, "tone.wav");
    fs.writeFileSync(file, encodeWav(tone, 16_000));
    const decoded = runFfmpeg(["-i", file, "-f", "s16le", "-"]);
    expect(decoded.equals(Buffer.from(tone.buffer))).toBe(true);
  });
});

describe("int16ToFloat32", () => {
  it("scales to [-1, 1)", () => {
    const bytes = Buffer.from(Int16Array.of(-32768, 16384, 0, 32767, -1, -16384).buffer);
    expect(Array.from(int16ToFloat32(bytes))).toEqual([-1, 0.5, 0, 32767 / 32768, -1 / 32768, -0.5]);
  });

  it("reads little-endian from any offset and ignores a trailing odd byte", () => {
    const bytes = Buffer.from([0xaa, 0x00, 0x40, 0x00, 0xc0, 0x7f]); // junk byte, 0x4000, 0xC000, half sample
    const floats = int16ToFloat32(bytes.subarray(1));
    expect(Array.from(floats)).toEqual([0.5, -0.5]);
  });

  it("gives nothing for fewer than two bytes", () => {
    expect(int16ToFloat32(new Uint8Array(0))).toHaveLength(0);
    expect(int16ToFloat32(Uint8Array.of(7))).toHaveLength(0);
  });
});

describe("readPcm and streamPcm", () => {
  const values = Int16Array.from({ length: 10 }, (_, i) => (i - 5) * 1024); // -5120 … 4096
  const expected = Array.from(values, (value) => value / 32768);
  let audio: PcmAudio;

  beforeAll(() => {
    const file = path.join(workDir, "ten.pcm");
    fs.writeFileSync(file, Buffer.from(values.buffer));
    audio = { path: file, sampleRate: 16_000, samples: values.length, durationSec: values.length / 16_000 };
  });

  it("reads a range of samples", async () => {
    expect(Array.from(await readPcm(audio, 0, 10))).toEqual(expected);
    expect(Array.from(await readPcm(audio, 3, 4))).toEqual(expected.slice(3, 7));
    expect(Array.from(await readPcm(audio, 9, 1))).toEqual([expected[9]]);
  });

  it("clamps reads at both ends of the file", async () => {
    expect(Array.from(await readPcm(audio, 7, 100))).toEqual(expected.slice(7));
    expect(Array.from(await readPcm(audio, -3, 2))).toEqual(expected.slice(0, 2));
    expect(await readPcm(audio, 10, 5)).toHaveLength(0);
    expect(await readPcm(audio, 50, 5)).toHaveLength(0);
    expect(await readPcm(audio, 2, 0)).toHaveLength(0);
  });

  it("streams in chunks with a short last one", async () => {
    const chunks: Float32Array[] = [];
    for await (const chunk of streamPcm(audio, 4)) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.length)).toEqual([4, 4, 2]);
    // Chunks collected first and compared afterwards: each must own its samples.
    expect(chunks.flatMap((chunk) => Array.from(chunk))).toEqual(expected);
  });

  it("ends without an empty chunk when the size divides the file", async () => {
    const lengths: number[] = [];
    for await (const chunk of streamPcm(audio, 5)) lengths.push(chunk.length);
    expect(lengths).toEqual([5, 5]);
    const whole: number[] = [];
    for await (const chunk of streamPcm(audio, 1000)) whole.push(chunk.length);
    expect(whole).toEqual([10]);
  });

  it("streams and reads real speech at the same offsets", async () => {
    const file = path.join(workDir, "jfk.pcm");
    fs.writeFileSync(file, jfk.subarray(78));
    const speech: PcmAudio = { path: file, sampleRate: 16_000, samples: 176_000, durationSec: 11 };
    const streamed: Float32Array[] = [];
    for await (const chunk of streamPcm(speech, 48_000)) streamed.push(chunk);
    expect(streamed.map((chunk) => chunk.length)).toEqual([48_000, 48_000, 48_000, 32_000]);
    const bytesOf = (floats: Float32Array | undefined) =>
      floats ? Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength) : Buffer.alloc(0);
    const second = bytesOf(await readPcm(speech, 48_000, 48_000));
    expect(second.length).toBe(48_000 * 4);
    expect(second.equals(bytesOf(streamed[1]))).toBe(true);
    expect(second.equals(bytesOf(int16ToFloat32(jfk.subarray(78 + 96_000, 78 + 192_000))))).toBe(true);
    expect(second.equals(bytesOf(streamed[0]))).toBe(false);
  });
});
