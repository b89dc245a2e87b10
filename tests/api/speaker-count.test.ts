// The "number of speakers" setting from the upload form and the live `start` frame to the engine,
// with real Azurite storage (blob metadata, job table) and a fake engine that identifies speakers
// and records what it was asked: kept in the recording's metadata, the job record and the
// transcript's settings, and on the recovery paths that rebuild a job from stored metadata.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspectWav } from "@/lib/audio/wav";
import type { Services } from "@/lib/services";
import { queueOrphanedRecordings } from "@/lib/services/transcriptions";
import { FakeSpeechEngine } from "@/lib/speech/fake/fake-engine";
import { createId } from "@/lib/util/ids";
import { configure, currentContext, readFixture, upload, waitForJob } from "../helpers/api";
import { pollUntil } from "../helpers/app-process";
import { listRecordings, storeInterruptedRecording } from "../helpers/library";

const jfk = readFixture("jfk.wav");
const header = inspectWav(jfk, jfk.length);
if ("problem" in header || header.dataOffset === null) throw new Error("jfk.wav has no readable header");
const speech = jfk.subarray(header.dataOffset);

let workDir: string;
let engine: FakeSpeechEngine;
let services: Services;

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-speaker-count-"));
  engine = new FakeSpeechEngine({ diarization: true });
  services = await configure(
    { DATA_DIR: path.join(workDir, "data"), SPEECH_PROVIDER: "fake", LIVE_RESUME_SEC: "1" },
    { engine },
  );
});

afterAll(async () => {
  await configure({ DATA_DIR: undefined, SPEECH_PROVIDER: undefined, LIVE_RESUME_SEC: undefined });
  fs.rmSync(workDir, { recursive: true, force: true });
});

interface Settled {
  settings: Record<string, unknown>;
  segments: Array<{ speaker?: string }>;
}

async function transcribe(fields: Record<string, string>) {
  const response = await upload(jfk, { name: "meeting.wav", fields: { language: "en-US", ...fields } });
  expect(response.status).toBe(202);
  const started = (await response.json()) as { id: string; recordingId: string };
  const { body } = await waitForJob(started.id);
  expect(body.status).toBe("succeeded");
  return { ...started, transcript: body.transcript as Settled, call: engine.calls.at(-1) };
}

describe("the number of speakers of an upload", () => {
  it("reaches the engine and is kept with the recording, the job and the transcript", async () => {
    const { id, recordingId, transcript, call } = await transcribe({ diarize: "true", speakers: "3" });
    expect(call).toEqual({ language: "en-US", diarize: true, speakers: 3 });
    expect(transcript.settings).toEqual({ diarize: true, speakers: 3 });
    expect(new Set(transcript.segments.map((segment) => segment.speaker))).toEqual(
      new Set(["Speaker 1", "Speaker 2", "Speaker 3"]),
    );

    const { owner } = await currentContext();
    expect(await services.storage.recordings.get(owner, recordingId)).toMatchObject({
      diarize: true,
      speakers: 3,
    });
    expect((await services.jobs.records.get(owner, id))?.settings).toEqual({ diarize: true, speakers: 3 });
    const page = (await (await listRecordings()).json()) as { items: Array<Record<string, unknown>> };
    expect(page.items.find((item) => item.id === recordingId)).toMatchObject({ speakers: 3 });
  });

  it("is left to the engine when blank", async () => {
    const { transcript, call } = await transcribe({ diarize: "true", speakers: "" });
    expect(call).toEqual({ language: "en-US", diarize: true });
    expect(transcript.settings).toEqual({ diarize: true });
  });

  it("is dropped without speaker identification", async () => {
    const { recordingId, transcript, call } = await transcribe({ diarize: "false", speakers: "4" });
    expect(call).toEqual({ language: "en-US", diarize: false });
    expect(transcript.settings).toEqual({ diarize: false });
    const { owner } = await currentContext();
    expect(await services.storage.recordings.get(owner, recordingId)).not.toHaveProperty("speakers");
  });

  it("survives a lost job: the job rebuilt from the recording's metadata keeps it", async () => {
    const recording = await storeInterruptedRecording(workDir, {
      name: "Interrupted.wav",
      diarize: true,
      speakers: 4,
    });

    expect(await queueOrphanedRecordings(await currentContext())).toBe(1);
    const { body } = await waitForJob(recording.transcriptionId);
    expect(body.status).toBe("succeeded");
    expect((body.transcript as Settled).settings).toEqual({ diarize: true, speakers: 4 });
    expect(engine.calls.at(-1)).toEqual({ language: "en-US", diarize: true, speakers: 4 });
  });
});

describe("the number of speakers of a live session", () => {
  it("reaches the live engine and the saved transcript", async () => {
    const context = await currentContext();
    const frames: Array<{ type: string }> = [];
    const session = await services.live.open(
      context,
      {
        type: "start",
        language: "en-US",
        diarize: true,
        speakers: 2,
        sampleRate: 16_000,
        encoding: "pcm_s16le",
      },
      (frame) => frames.push(frame),
    );
    expect(engine.liveCalls.at(-1)).toEqual({ language: "en-US", diarize: true, speakers: 2 });
    session.write(speech.subarray(0, 16_000 * 2 * 3), 0);
    const saved = await session.stop();
    const transcript = await services.storage.transcripts.get(context.owner, saved.transcriptionId);
    expect(transcript?.settings).toEqual({ diarize: true, speakers: 2 });
    expect(await services.storage.recordings.get(context.owner, saved.recordingId)).toMatchObject({
      source: "live",
      speakers: 2,
    });
    expect(frames.at(-1)).toMatchObject({ type: "saved" });
  });

  it("survives a restart: an abandoned session's queued job keeps it", async () => {
    const { owner } = await currentContext();
    const metadata = {
      id: createId(),
      transcriptionId: createId(),
      name: "Live cut short.wav",
      createdAt: new Date().toISOString(),
      language: "en-US",
      diarize: true,
      speakers: 5,
    };
    // What a process that stopped mid-session leaves behind: the audio and its metadata.
    await services.storage.live.create(owner, metadata);
    await services.storage.live.append(owner, metadata.id, speech.subarray(0, 16_000 * 2 * 2), 0);
    expect((await services.storage.live.get(owner, metadata.id))?.metadata).toMatchObject({ speakers: 5 });

    // Recovered once no client could resume it (the resume window and a margin: about 6 s here).
    await pollUntil(
      async () => ((await services.live.recoverAbandoned()) === 1 ? true : null),
      20_000,
      "the abandoned session to be recovered",
      500,
    );
    const { body } = await waitForJob(metadata.transcriptionId);
    expect(body.status).toBe("succeeded");
    expect((body.transcript as Settled).settings).toEqual({ diarize: true, speakers: 5 });
    expect(engine.calls.at(-1)).toEqual({ language: "en-US", diarize: true, speakers: 5 });
  });
});
