import {
  cleanSpeakerName,
  describeSpeakerSetting,
  hasSpeakers,
  renameSpeaker,
  setSegmentSpeaker,
  speakerTurns,
  speakersOf,
} from "@/lib/domain/speakers";
import { transcriptSettings, type Segment } from "@/lib/domain/transcript";

const segments: Segment[] = [
  { start: 0, end: 1, text: "Hi.", speaker: "Guest-1" },
  { start: 1, end: 2, text: "Hello.", speaker: "Guest-2" },
  { start: 2, end: 3, text: "How are you?", speaker: "Guest-1" },
  { start: 3, end: 4, text: "Fine.", speaker: "Guest-3" },
];

describe("speakers", () => {
  it("lists speakers in order of first appearance", () => {
    expect(speakersOf(segments)).toEqual(["Guest-1", "Guest-2", "Guest-3"]);
    expect(hasSpeakers(segments)).toBe(true);
    expect(hasSpeakers([{ speaker: undefined }])).toBe(false);
  });

  it("renames a speaker everywhere and keeps other segments as they were", () => {
    const renamed = renameSpeaker(segments, "Guest-1", "  Ada   Lovelace ");
    expect(renamed.map((s) => s.speaker)).toEqual(["Ada Lovelace", "Guest-2", "Ada Lovelace", "Guest-3"]);
    expect(renamed[1]).toBe(segments[1]);
    expect(segments[0]!.speaker).toBe("Guest-1");
  });

  it("merges a speaker into an existing one by renaming to its name", () => {
    const merged = renameSpeaker(segments, "Guest-3", "Guest-2");
    expect(speakersOf(merged)).toEqual(["Guest-1", "Guest-2"]);
  });

  it("moves one segment to another speaker", () => {
    const moved = setSegmentSpeaker(segments, 2, "Guest-2");
    expect(moved.map((s) => s.speaker)).toEqual(["Guest-1", "Guest-2", "Guest-2", "Guest-3"]);
  });

  it("ignores empty names", () => {
    expect(renameSpeaker(segments, "Guest-1", "  ")).toEqual(segments);
    expect(setSegmentSpeaker(segments, 0, "")).toEqual(segments);
    expect(cleanSpeakerName(" a \n b ")).toBe("a b");
  });

  it("groups consecutive segments of one speaker into turns", () => {
    const turns = speakerTurns([
      { start: 0, end: 1, text: " One. ", speaker: "A" },
      { start: 1, end: 2, text: "Two.", speaker: "A" },
      { start: 2, end: 3, text: "Three.", speaker: "B" },
      { start: 3, end: 4, text: "Four." },
    ]);
    expect(turns).toEqual([
      { speaker: "A", text: "One. Two." },
      { speaker: "B", text: "Three." },
      { text: "Four." },
    ]);
  });
});

describe("the speaker setting", () => {
  it("keeps a count only with speaker identification, and only a usable one", () => {
    expect(transcriptSettings(true, 3)).toEqual({ diarize: true, speakers: 3 });
    expect(transcriptSettings(true)).toEqual({ diarize: true });
    expect(transcriptSettings(false, 3)).toEqual({ diarize: false });
    expect(transcriptSettings(true, 0)).toEqual({ diarize: true });
    expect(transcriptSettings(true, 2.5)).toEqual({ diarize: true });
    expect(transcriptSettings(true, null)).toEqual({ diarize: true });
  });

  it("says it in words", () => {
    expect(describeSpeakerSetting({ diarize: false })).toBe("off");
    expect(describeSpeakerSetting({ diarize: true })).toBe("on");
    expect(describeSpeakerSetting({ diarize: true, speakers: 1 })).toBe("on (1 speaker)");
    expect(describeSpeakerSetting({ diarize: true, speakers: 3 })).toBe("on (3 speakers)");
  });
});
