// What the sidebar's "Number of speakers" field sends: a count, nothing (detect), or a complaint.
import { parseSpeakerCount } from "@/components/transcriber/speaker-count";

describe("the number of speakers field", () => {
  it("reads a blank field as detect automatically", () => {
    expect(parseSpeakerCount("")).toBeNull();
    expect(parseSpeakerCount("  ")).toBeNull();
  });

  it("reads whole numbers from 1 to 20", () => {
    expect(parseSpeakerCount("1")).toBe(1);
    expect(parseSpeakerCount(" 7 ")).toBe(7);
    expect(parseSpeakerCount("20")).toBe(20);
  });

  it.each(["0", "21", "2.5", "-1", "abc", "1e1"])("refuses %s", (text) => {
    expect(parseSpeakerCount(text)).toBe("invalid");
  });
});
