// The live protocol's messages: a start that names the audio exactly, stop, and the server's frames.
import { liveClientMessageSchema, liveServerMessageSchema, liveStartSchema } from "@/lib/contract";

describe("the live protocol", () => {
  const start = {
    type: "start",
    language: "en-US",
    diarize: false,
    sampleRate: 16000,
    encoding: "pcm_s16le",
  };

  it("accepts a start describing 16 kHz 16-bit PCM, with or without a session to resume", () => {
    expect(liveStartSchema.parse(start)).toEqual(start);
    expect(liveStartSchema.parse({ type: "start", sampleRate: 16000, encoding: "pcm_s16le" })).toMatchObject({
      language: "auto",
      diarize: false,
    });
    expect(liveStartSchema.parse({ ...start, resume: { sessionId: "abc", offset: 48_000 } }).resume).toEqual({
      sessionId: "abc",
      offset: 48_000,
    });
    expect(liveClientMessageSchema.parse({ type: "stop" })).toEqual({ type: "stop" });
  });

  it("refuses another rate or encoding, a bad language, a negative offset, an unknown type", () => {
    expect(liveStartSchema.safeParse({ ...start, sampleRate: 44100 }).success).toBe(false);
    expect(liveStartSchema.safeParse({ ...start, encoding: "opus" }).success).toBe(false);
    expect(liveStartSchema.safeParse({ ...start, language: "../x" }).success).toBe(false);
    expect(liveStartSchema.safeParse({ ...start, resume: { sessionId: "a", offset: -1 } }).success).toBe(
      false,
    );
    expect(liveClientMessageSchema.safeParse({ type: "pause" }).success).toBe(false);
  });

  it("describes the server's frames", () => {
    for (const message of [
      { type: "ready", sessionId: "s1" },
      { type: "partial", text: "and so my fel", start: 1.2, stable: "and so my" },
      { type: "partial", text: "and so", start: 1.2 },
      { type: "final", segment: { start: 1.2, end: 3.4, text: "And so my fellow Americans." } },
      { type: "saved", transcriptionId: "t", recordingId: "r" },
      { type: "error", code: "unsupported_audio", message: "Send 16 kHz 16-bit PCM." },
    ]) {
      expect(liveServerMessageSchema.parse(message)).toEqual(message);
    }
    expect(liveServerMessageSchema.safeParse({ type: "final", segment: { start: 1 } }).success).toBe(false);
  });
});
