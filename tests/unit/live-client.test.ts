// The browser's live socket helpers and the live text: address, frames checked against the
// contract, error wording, retry timing, partials and finals, and what screen readers hear.
import {
  createStartMessage,
  describeLiveError,
  LIVE_RECONNECT_WINDOW_MS,
  liveSocketUrl,
  parseServerFrame,
  reconnectDelayMs,
} from "@/lib/client/live";
import { liveErrorCodes, liveStartSchema } from "@/lib/contract";
import {
  applyLiveFrame,
  emptyLiveText,
  nextAnnouncement,
  nothingAnnounced,
  splitPartial,
  type LiveText,
} from "@/components/transcriber/live-text";

describe("live socket helpers", () => {
  it("uses the page's origin, secure when the page is", () => {
    expect(liveSocketUrl({ protocol: "http:", host: "localhost:3000" })).toBe("ws://localhost:3000/api/live");
    expect(liveSocketUrl({ protocol: "https:", host: "transcribe.example.com" })).toBe(
      "wss://transcribe.example.com/api/live",
    );
  });

  it("builds start frames the server's contract accepts, with and without resume", () => {
    const fresh = createStartMessage({ language: "en-US", diarize: true });
    expect(liveStartSchema.parse(fresh)).toEqual(fresh);
    expect(fresh).not.toHaveProperty("resume");
    const resumed = createStartMessage(
      { language: "auto", diarize: false },
      { sessionId: "abc", offset: 48_000 },
    );
    expect(liveStartSchema.parse(resumed)).toEqual(resumed);
    const counted = createStartMessage({ language: "en-US", diarize: true, speakers: 3 });
    expect(liveStartSchema.parse(counted)).toMatchObject({ diarize: true, speakers: 3 });
    expect(createStartMessage({ language: "en-US", diarize: false, speakers: 3 })).not.toHaveProperty(
      "speakers",
    );
  });

  it("reads server frames with the contract and ignores anything else", () => {
    expect(parseServerFrame(JSON.stringify({ type: "ready", sessionId: "s1", offset: 0 }))).toEqual({
      type: "ready",
      sessionId: "s1",
      offset: 0,
    });
    expect(
      parseServerFrame(JSON.stringify({ type: "partial", text: "ask not", start: 1.2, stable: "ask" })),
    ).toMatchObject({ type: "partial", stable: "ask" });
    expect(parseServerFrame(JSON.stringify({ type: "error", code: "internal", message: "x" }))).toMatchObject(
      {
        code: "internal",
      },
    );
    expect(parseServerFrame("not json")).toBeNull();
    expect(parseServerFrame(JSON.stringify({ type: "error", code: "made_up", message: "x" }))).toBeNull();
    expect(parseServerFrame(JSON.stringify({ type: "bogus" }))).toBeNull();
    expect(parseServerFrame(new ArrayBuffer(4))).toBeNull();
  });

  it("has a distinct readable message for every error code", () => {
    const messages = liveErrorCodes.map((code) => describeLiveError(code));
    for (const message of messages) {
      expect(message.length).toBeGreaterThan(30);
      expect(message).not.toMatch(/_/);
    }
    expect(describeLiveError("too_many_sessions")).toMatch(/try again/i);
    expect(describeLiveError("session_too_long")).toMatch(/longest/i);
  });

  it("backs off from a quarter second to 4 s and never past the 30 s window", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((attempt) => reconnectDelayMs(attempt, 0))).toEqual([
      250, 500, 1000, 2000, 4000, 4000, 4000,
    ]);
    expect(reconnectDelayMs(6, LIVE_RECONNECT_WINDOW_MS - 1500)).toBe(1500);
    expect(reconnectDelayMs(6, LIVE_RECONNECT_WINDOW_MS + 10)).toBe(0);
  });
});

describe("live text", () => {
  const partial = (text: string, start: number, stable?: string) =>
    ({ type: "partial", text, start, ...(stable === undefined ? {} : { stable }) }) as const;
  const final = (text: string, start: number, end: number) =>
    ({ type: "final", segment: { text, start, end } }) as const;

  it("splits a partial into its agreed start and the guess", () => {
    expect(splitPartial("ask not what your", "ask not")).toEqual({ stable: "ask not", guess: " what your" });
    expect(splitPartial("ask not", undefined)).toEqual({ stable: "", guess: "ask not" });
    expect(splitPartial("ask now", "ask not")).toEqual({ stable: "", guess: "ask now" });
  });

  it("replaces the partial, and a final confirms it", () => {
    let text: LiveText = emptyLiveText;
    text = applyLiveFrame(text, partial("and so", 0.2));
    text = applyLiveFrame(text, partial("and so my fellow", 0.2, "and so"));
    expect(text.partial).toEqual({ start: 0.2, stable: "and so", guess: " my fellow" });
    text = applyLiveFrame(text, final("And so, my fellow Americans,", 0.2, 3.1));
    expect(text).toEqual({
      segments: [{ text: "And so, my fellow Americans,", start: 0.2, end: 3.1 }],
      partial: null,
    });
  });

  it("keeps a partial of the next utterance when the previous final arrives after it", () => {
    let text = applyLiveFrame(emptyLiveText, partial("ask not", 3.5));
    text = applyLiveFrame(text, final("And so, my fellow Americans,", 0.2, 3.1));
    expect(text.partial).toEqual({ start: 3.5, stable: "", guess: "ask not" });
    expect(text.segments).toHaveLength(1);
  });

  it("drops a repeated final and empty texts", () => {
    let text = applyLiveFrame(emptyLiveText, final("Ask not", 3.5, 5));
    text = applyLiveFrame(text, final("Ask not", 3.5, 5));
    text = applyLiveFrame(text, final("  ", 5, 6));
    expect(text.segments).toHaveLength(1);
    text = applyLiveFrame(text, partial("what", 6));
    expect(applyLiveFrame(text, partial(" ", 6)).partial).toBeNull();
    expect(applyLiveFrame(text, { type: "ready", sessionId: "s" })).toBe(text);
  });

  it("reads each settled word out once, and never a guess", () => {
    let announced = nothingAnnounced;
    const step = (start: number, confirmed: string) => {
      const next = nextAnnouncement(announced, start, confirmed);
      announced = next.announced;
      return next.say;
    };
    expect(step(0.2, "")).toBe("");
    expect(step(0.2, "and so")).toBe("and so");
    expect(step(0.2, "and so")).toBe("");
    expect(step(0.2, "and so my fellow")).toBe("my fellow");
    // The final's punctuation and capitals do not make words new; a changed word is said again.
    expect(step(0.2, "And so, my fellow Americans,")).toBe("Americans,");
    expect(step(0.2, "And so, my yellow Americans")).toBe("yellow Americans");
    // A new utterance starts from nothing.
    expect(step(3.5, "ask not")).toBe("ask not");
  });
});
