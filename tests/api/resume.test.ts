import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { queueOrphanedRecordings } from "@/lib/services/transcriptions";
import { createId } from "@/lib/util/ids";
import { configure, currentContext, fetchJob, fixtures, waitForJob } from "../helpers/api";
import { storeInterruptedRecording } from "../helpers/library";
import { wordErrorRate } from "../helpers/wer";

const jfkText = fs.readFileSync(path.join(fixtures, "jfk.txt"), "utf8");
let workDir: string;

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-resume-"));
  await configure({ DATA_DIR: path.join(workDir, "data") });
});

afterAll(async () => {
  await configure({ DATA_DIR: undefined });
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("recordings an earlier version left without a job", () => {
  it("queues a stored recording whose job was lost, and transcribes it", async () => {
    const recording = await storeInterruptedRecording(workDir);
    expect((await fetchJob(recording.transcriptionId)).status).toBe(404);

    expect(await queueOrphanedRecordings(await currentContext())).toBe(1);
    const { body } = await waitForJob(recording.transcriptionId);
    expect(body.status).toBe("succeeded");
    const transcript = body.transcript as { text: string; title: string; recordingId: string };
    expect(transcript.recordingId).toBe(recording.id);
    expect(transcript.title).toBe("Board meeting");
    expect(wordErrorRate(jfkText, transcript.text)).toBeLessThanOrEqual(0.05);

    // Done now: a second pass finds nothing to do.
    expect(await queueOrphanedRecordings(await currentContext())).toBe(0);
  });

  it("leaves alone recordings whose transcription failed for good", async () => {
    const failed = await storeInterruptedRecording(workDir, { transcriptionError: "undecodable_audio" });
    expect(await queueOrphanedRecordings(await currentContext())).toBe(0);
    expect((await fetchJob(failed.transcriptionId)).status).toBe(404);
  });

  it("remembers a failure that a retry cannot fix", async () => {
    const {
      services: { storage },
      owner,
    } = await currentContext();
    const broken = path.join(workDir, "broken.mp3");
    // An ID3 tag followed by bytes that hold no MPEG audio: stored as an MP3, undecodable.
    fs.writeFileSync(broken, Buffer.concat([Buffer.from("ID3"), Buffer.alloc(40_000, 0x55)]));
    const recording = {
      id: createId(),
      name: "broken.mp3",
      createdAt: new Date().toISOString(),
      durationSec: null,
      sizeBytes: fs.statSync(broken).size,
      contentType: "audio/mpeg",
      language: "en-US",
      transcriptionId: createId(),
    };
    await storage.recordings.uploadFile(owner, recording, broken);
    expect(await queueOrphanedRecordings(await currentContext())).toBe(1);
    const { body } = await waitForJob(recording.transcriptionId);
    expect(body.status).toBe("failed");
    expect((await storage.recordings.get(owner, recording.id))?.transcriptionError).toBe("undecodable_audio");
    expect(await queueOrphanedRecordings(await currentContext())).toBe(0);
  });
});
