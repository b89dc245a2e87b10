import type { DetectedFormat } from "@/lib/audio/detect-format";
import { storedName, titleFrom } from "@/lib/services/transcriptions";

const wav: DetectedFormat = { format: "wav", mime: "audio/wav", extension: "wav" };
const mp3: DetectedFormat = { format: "mp3", mime: "audio/mpeg", extension: "mp3" };
const now = "2024-05-01T14:03:27.000Z";

describe("storedName", () => {
  it.each([
    ["../../evil/Meeting notes.wav", "Meeting notes.wav"],
    ["..\\..\\evil\\Meeting notes.wav", "Meeting notes.wav"],
    ["C:\\Users\\ann\\Desktop\\call.wav", "call.wav"],
    ["/etc/passwd", "passwd.wav"],
    ["dir/", "recording.wav"],
    ["", "recording.wav"],
    ['a\u0000b\u001fc<d>e:f"g|h?i*j.wav', "abcdefghij.wav"],
    ["  lots   of  space  .wav", "lots of space .wav"],
  ])("stores %j as %j", (clientName, expected) => {
    const name = storedName(clientName, wav);
    expect(name).toBe(expected);
    expect(name).not.toMatch(/[\\/\u0000-\u001f]/);
  });

  it("names the file after what it really is, not what the client claimed", () => {
    expect(storedName("voice memo.wav", mp3)).toBe("voice memo.mp3");
    expect(storedName("notes", mp3)).toBe("notes.mp3");
  });

  it("keeps names to a bounded length", () => {
    expect(storedName(`${"x".repeat(500)}.wav`, wav).length).toBeLessThanOrEqual(130);
  });

  it("folds full-width look-alikes of slashes before splitting (NFKC)", () => {
    const name = storedName("..\uFF0F..\uFF0Fevil\uFF0Fa.wav", wav);
    expect(name).toBe("a.wav");
  });
});

describe("titleFrom", () => {
  it("uses the file name without its extension or path", () => {
    expect(titleFrom("../../evil/Meeting notes.wav", now)).toBe("Meeting notes");
    expect(titleFrom("Interview 3.m4a", now)).toBe("Interview 3");
  });

  it("falls back to the date for generic names from browsers and recorders", () => {
    for (const name of ["blob", "audio.webm", "recording.ogg", "Recording.WAV", "", "/"]) {
      expect(titleFrom(name, now)).toBe("Recording 2024-05-01 14:03");
    }
  });
});
