// The upload → job → transcript → edit → delete path on the in-memory doubles (fake engine, memory
// storage): no model and no Azurite, so it runs in well under a second.
import { GET as getHealth } from "@/app/api/health/route";
import { DELETE as deleteTranscript, PUT as putTranscript } from "@/app/api/transcriptions/[id]/route";
import { GET as listTranscripts } from "@/app/api/transcriptions/route";
import { fakeSegments } from "@/lib/speech/fake/fake-engine";
import { configure, fetchJob, readFixture, upload, waitForJob } from "../helpers/api";

beforeAll(async () => {
  await configure({ STORAGE_PROVIDER: "memory", SPEECH_PROVIDER: "fake" });
});

afterAll(async () => {
  await configure({ STORAGE_PROVIDER: undefined, SPEECH_PROVIDER: undefined });
});

describe("the API on the in-memory doubles", () => {
  it("transcribes deterministically from the audio length, one language field", async () => {
    const response = await upload(readFixture("jfk.wav"), { name: "jfk.wav", fields: { language: "en-US" } });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const { body } = await waitForJob(id);
    expect(body.status).toBe("succeeded");
    const transcript = body.transcript as {
      segments: unknown[];
      durationSec: number;
      language: string;
      settings: Record<string, unknown>;
      engine: string;
    };
    expect(transcript.engine).toBe("fake");
    expect(transcript.language).toBe("en-US");
    expect(transcript.settings).toEqual({ diarize: false });
    expect(transcript.segments).toEqual(fakeSegments(11));
  });

  it("edits, lists and deletes a transcript", async () => {
    const response = await upload(readFixture("jfk.wav"), { name: "Board meeting.wav" });
    const { id } = (await response.json()) as { id: string };
    await waitForJob(id);
    const saved = await fetchJob(id);
    const etag = (saved.body.transcript as { etag: string }).etag;

    const put = await putTranscript(
      new Request(`http://localhost/api/transcriptions/${id}`, {
        method: "PUT",
        headers: { "If-Match": etag, "Content-Type": "application/json" },
        body: JSON.stringify({ text: "Edited in memory.", title: "Renamed" }),
      }),
      { params: Promise.resolve({ id }) },
    );
    expect(put.status).toBe(200);

    const list = await listTranscripts(new Request("http://localhost/api/transcriptions?q=memory"), {});
    const items = ((await list.json()) as { items: Array<{ id: string; title: string }> }).items;
    expect(items.map((item) => [item.id, item.title])).toEqual([[id, "Renamed"]]);

    const deleted = await deleteTranscript(new Request(`http://localhost/api/transcriptions/${id}`), {
      params: Promise.resolve({ id }),
    });
    expect(deleted.status).toBe(204);
    expect((await fetchJob(id)).status).toBe(404);
  });

  it("reports the doubles in /api/health", async () => {
    const response = await getHealth(new Request("http://localhost/api/health"), {});
    const health = (await response.json()) as { status: string; storage: { provider: string } };
    expect(health).toMatchObject({ status: "ok", storage: { ready: true, provider: "memory" } });
  });

  it("drops a speaker count when speakers are not identified", async () => {
    const response = await upload(readFixture("jfk.wav"), { fields: { speakers: "2" } });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const { body } = await waitForJob(id);
    expect((body.transcript as { settings: unknown }).settings).toEqual({ diarize: false });
  });
});
