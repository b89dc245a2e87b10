import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GET as getHealth } from "@/app/api/health/route";
import { configure, fetchJob, readFixture, upload, waitForJob } from "../helpers/api";
import { runFfmpeg } from "../helpers/ffmpeg";
import { wordErrorRate } from "../helpers/wer";
import { processTempDir } from "@/lib/util/temp-dir";

const jfk = readFixture("jfk.wav");
const jfkText = readFixture("jfk.txt").toString("utf8");
let workDir: string;

function ffmpeg(args: string[], output: string): Buffer {
  const file = path.join(workDir, output);
  runFfmpeg([...args, file]);
  return fs.readFileSync(file);
}

async function expectError(response: Response, status: number, code: string) {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
  expect(body.error.message.length).toBeGreaterThan(10);
  expect(body.error.message).not.toMatch(/at .*\.(ts|js):\d+/);
  return body.error.message;
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-api-"));
  await configure({
    DATA_DIR: path.join(workDir, "data"),
    UPLOAD_MAX_MB: undefined,
    AUDIO_MAX_MINUTES: undefined,
  });
});

afterAll(async () => {
  await configure({});
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("POST /api/transcriptions with real speech", () => {
  it("transcribes jfk.wav with WER at most 5 % and segment timestamps", async () => {
    const response = await upload(jfk, { name: "jfk.wav", fields: { language: "en-US", diarize: "false" } });
    expect(response.status).toBe(202);
    const started = (await response.json()) as { id: string; status: string; recordingId: string };
    expect(started.status).toBe("queued");
    expect(started.recordingId).toMatch(/^[0-9a-z]{17}$/);
    expect(response.headers.get("location")).toBe(`/api/transcriptions/${started.id}`);

    const { body } = await waitForJob(started.id);
    expect(body.status).toBe("succeeded");
    expect(body.progress).toBe(1);
    const transcript = body.transcript as {
      text: string;
      segments: Array<{ start: number; end: number; text: string }>;
      durationSec: number;
      engine: string;
      title: string;
      recordingId: string;
    };
    expect(wordErrorRate(jfkText, transcript.text)).toBeLessThanOrEqual(0.05);
    expect(transcript.durationSec).toBeCloseTo(11, 0);
    expect(transcript.engine).toBe("local-whisper-tiny.en");
    expect(transcript.title).toBe("jfk");
    expect(transcript.recordingId).toBe(started.recordingId);
    expect(transcript.segments.length).toBeGreaterThan(0);
    for (const segment of transcript.segments) {
      expect(segment.end).toBeGreaterThanOrEqual(segment.start);
      expect(segment.end).toBeLessThanOrEqual(11.05);
    }
    expect(transcript.segments[0]!.start).toBeLessThan(1);
  });

  it.each([
    ["mp3", ["-c:a", "libmp3lame", "-b:a", "64k"], "speech.mp3"],
    ["ogg/opus", ["-c:a", "libopus", "-b:a", "32k"], "speech.ogg"],
    ["webm/opus", ["-c:a", "libopus", "-b:a", "32k"], "speech.webm"],
    ["m4a/aac", ["-c:a", "aac", "-b:a", "64k"], "speech.m4a"],
    ["flac", ["-c:a", "flac"], "speech.flac"],
    ["44.1 kHz stereo wav", ["-ar", "44100", "-ac", "2"], "stereo.wav"],
  ])("understands %s, whatever the file is called", async (_label, codec, output) => {
    const bytes = ffmpeg(["-i", path.join(__dirname, "..", "fixtures", "jfk.wav"), ...codec], output);
    const response = await upload(bytes, { name: "renamed.bin", type: "application/octet-stream" });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const { body } = await waitForJob(id);
    expect(body.status).toBe("succeeded");
    expect(wordErrorRate(jfkText, (body.transcript as { text: string }).text)).toBeLessThanOrEqual(0.1);
  });

  it("takes the audio track of a video", async () => {
    const bytes = ffmpeg(
      [
        "-f",
        "lavfi",
        "-i",
        "color=c=black:s=64x64:d=11",
        "-i",
        path.join(__dirname, "..", "fixtures", "jfk.wav"),
        "-shortest",
        "-c:v",
        "libx264",
        "-c:a",
        "aac",
      ],
      "video.mp4",
    );
    const response = await upload(bytes, { name: "clip.mp4", type: "video/mp4" });
    expect(response.status).toBe(202);
    const { body } = await waitForJob(((await response.json()) as { id: string }).id);
    expect(wordErrorRate(jfkText, (body.transcript as { text: string }).text)).toBeLessThanOrEqual(0.1);
  });

  it("reports real progress on longer audio and queues concurrent uploads", async () => {
    const long = ffmpeg(
      [
        "-stream_loop",
        "5",
        "-i",
        path.join(__dirname, "..", "fixtures", "jfk.wav"),
        "-af",
        "apad=pad_len=16000",
      ],
      "long.wav",
    );
    const [first, second] = await Promise.all([
      upload(long, { name: "long.wav" }),
      upload(jfk, { name: "short.wav" }),
    ]);
    expect([first.status, second.status]).toEqual([202, 202]);
    const ids = await Promise.all([first.json(), second.json()]).then((bodies) =>
      bodies.map((b) => (b as { id: string }).id),
    );
    const [longJob, shortJob] = await Promise.all([waitForJob(ids[0]!), waitForJob(ids[1]!)]);
    expect(longJob.body.status).toBe("succeeded");
    expect(shortJob.body.status).toBe("succeeded");
    const distinct = new Set(longJob.progress.filter((p) => p > 0 && p < 1));
    expect(distinct.size).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < longJob.progress.length; i++) {
      expect(longJob.progress[i]!).toBeGreaterThanOrEqual(longJob.progress[i - 1]!);
    }
    const text = (longJob.body.transcript as { text: string }).text;
    expect(text.toLowerCase().match(/fellow americans/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
  });

  it("finds no words in silence", async () => {
    const silence = ffmpeg(["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "5"], "silence.wav");
    const response = await upload(silence, { name: "silence.wav" });
    const { body } = await waitForJob(((await response.json()) as { id: string }).id);
    expect(body.status).toBe("succeeded");
    expect((body.transcript as { text: string }).text).toBe("");
  });
});

describe("POST /api/transcriptions with bad input", () => {
  const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

  it.each([
    ["an empty file", Buffer.alloc(0), "empty.wav", 400, "empty_file"],
    [
      "random bytes",
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
      "noise.wav",
      415,
      "unsupported_media_type",
    ],
    [
      "a text file renamed .wav",
      Buffer.from("Hello, this is not audio at all.\n".repeat(20)),
      "notes.wav",
      415,
      "unsupported_media_type",
    ],
    ["a PNG renamed .webm", png, "picture.webm", 415, "unsupported_media_type"],
    ["a truncated wav", jfk.subarray(0, 20_000), "cut.wav", 422, "undecodable_audio"],
  ])("refuses %s", async (_label, bytes, name, status, code) => {
    await expectError(
      await upload(bytes as Buffer, { name: name as string }),
      status as number,
      code as string,
    );
  });

  it("refuses a wav with a bogus header", async () => {
    const bogus = Buffer.from(jfk);
    bogus.writeUInt32LE(0, 24);
    const message = await expectError(await upload(bogus, { name: "bogus.wav" }), 422, "undecodable_audio");
    expect(message).toMatch(/header/);
  });

  it("refuses an MP3 whose frames are garbage", async () => {
    const mp3 = ffmpeg(
      ["-i", path.join(__dirname, "..", "fixtures", "jfk.wav"), "-c:a", "libmp3lame"],
      "good.mp3",
    );
    const broken = Buffer.concat([mp3.subarray(0, 10), Buffer.alloc(30_000, 0x55)]);
    const response = await upload(broken, { name: "broken.mp3" });
    if (response.status === 202) {
      const { body } = await waitForJob(((await response.json()) as { id: string }).id);
      expect(body.status).toBe("failed");
      expect((body.error as { code: string }).code).toBe("undecodable_audio");
    } else {
      await expectError(response, 422, "undecodable_audio");
    }
  });

  it("refuses a video without an audio track", async () => {
    const video = ffmpeg(["-f", "lavfi", "-i", "color=c=blue:s=64x64:d=1", "-c:v", "libx264"], "silent.mp4");
    const message = await expectError(await upload(video, { name: "silent.mp4" }), 422, "undecodable_audio");
    expect(message).toMatch(/no audio track/i);
  });

  it("refuses a request without the audio field", async () => {
    await expectError(await upload(null, { fields: { language: "en-US" } }), 400, "missing_audio");
  });

  it("refuses a body that is not multipart", async () => {
    const { POST } = await import("@/app/api/transcriptions/route");
    const response = await POST(
      new Request("http://localhost/api/transcriptions", {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      }),
      {},
    );
    await expectError(response, 415, "unsupported_media_type");
  });

  it("refuses a malformed multipart body", async () => {
    const { POST } = await import("@/app/api/transcriptions/route");
    const response = await POST(
      new Request("http://localhost/api/transcriptions", {
        method: "POST",
        body: '--xyz\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\nRIFF',
        headers: { "content-type": "multipart/form-data; boundary=xyz" },
      }),
      {},
    );
    await expectError(response, 400, "bad_request");
  });

  it("refuses an invalid language and a language the engine lacks", async () => {
    await expectError(await upload(jfk, { fields: { language: "../../etc" } }), 400, "validation_failed");
    const message = await expectError(
      await upload(jfk, { fields: { language: "fr-FR" } }),
      422,
      "unprocessable",
    );
    expect(message).toMatch(/English/);
  });

  it.each(["0", "21", "abc", "2.5", "-3"])(
    "refuses speakers=%s with a message naming the field and the range",
    async (speakers) => {
      const message = await expectError(
        await upload(jfk, { fields: { diarize: "true", speakers } }),
        400,
        "validation_failed",
      );
      expect(message).toMatch(/^speakers: must be a whole number from 1 to 20/);
    },
  );

  it("takes a blank speakers field as not given", async () => {
    const response = await upload(jfk, { fields: { diarize: "true", speakers: " " } });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const { body } = await waitForJob(id);
    expect(body.status).toBe("succeeded");
    expect((body.transcript as { settings: object }).settings).not.toHaveProperty("speakers");
  });

  it("refuses files over the size limit with 413 and keeps nothing", async () => {
    await configure({ UPLOAD_MAX_MB: "0.1" });
    try {
      await expectError(await upload(jfk, { name: "big.wav" }), 413, "payload_too_large");
      const uploads = path.join(processTempDir(path.join(workDir, "data")), "uploads");
      expect(fs.existsSync(uploads) ? fs.readdirSync(uploads) : []).toEqual([]);
    } finally {
      await configure({ UPLOAD_MAX_MB: undefined });
    }
  });

  it("refuses audio over the duration limit with 413", async () => {
    await configure({ AUDIO_MAX_MINUTES: "0.1" });
    try {
      const message = await expectError(await upload(jfk, { name: "long.wav" }), 413, "audio_too_long");
      expect(message).toMatch(/limit/);
    } finally {
      await configure({ AUDIO_MAX_MINUTES: undefined });
    }
  });
});

describe("GET /api/transcriptions/:id and /api/health", () => {
  it("answers 404 for an unknown id and 400 for a malformed one", async () => {
    expect((await fetchJob("0000000000000000a")).status).toBe(404);
    expect((await fetchJob("..%2F..%2Fetc")).status).toBe(400);
  });

  it("reports the engine ready", async () => {
    const response = await getHealth(new Request("http://localhost/api/health"), {});
    const body = (await response.json()) as {
      status: string;
      engines: { speech: { ready: boolean; multilingual: boolean } };
      live: unknown;
    };
    expect(response.status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.engines.speech).toMatchObject({ ready: true, multilingual: false });
    expect(body.live).toEqual({ available: true, maxSessions: 3, maxSessionSec: 4 * 60 * 60, active: 0 });
  });
});
