/** A container recognised from its first bytes. */
export interface DetectedFormat {
  /** Short name of the container, e.g. `wav`, `mp3`, `webm`. */
  format:
    | "wav"
    | "aiff"
    | "mp3"
    | "aac"
    | "ogg"
    | "webm"
    | "matroska"
    | "mp4"
    | "flac"
    | "caf"
    | "amr"
    | "asf"
    | "avi";
  /** The MIME type the file really is. */
  mime: string;
  /** File extension to use when naming the file. */
  extension: string;
}

/** How many leading bytes {@link detectFormat} wants to see. */
export const sniffLength = 4096;

const ascii = (bytes: Uint8Array, offset: number, text: string) =>
  bytes.length >= offset + text.length &&
  [...text].every((char, i) => bytes[offset + i] === char.charCodeAt(0));

/**
 * Detects an audio or video container from its magic bytes. The extension and Content-Type
 * a client sends are never trusted; anything not recognised here is refused.
 */
export function detectFormat(head: Uint8Array): DetectedFormat | null {
  if ((ascii(head, 0, "RIFF") || ascii(head, 0, "RF64")) && ascii(head, 8, "WAVE")) {
    return { format: "wav", mime: "audio/wav", extension: "wav" };
  }
  if (ascii(head, 0, "RIFF") && ascii(head, 8, "AVI "))
    return { format: "avi", mime: "video/x-msvideo", extension: "avi" };
  if (ascii(head, 0, "FORM") && (ascii(head, 8, "AIFF") || ascii(head, 8, "AIFC"))) {
    return { format: "aiff", mime: "audio/aiff", extension: "aiff" };
  }
  if (ascii(head, 0, "fLaC")) return { format: "flac", mime: "audio/flac", extension: "flac" };
  if (ascii(head, 0, "OggS")) return { format: "ogg", mime: "audio/ogg", extension: "ogg" };
  if (ascii(head, 0, "caff")) return { format: "caf", mime: "audio/x-caf", extension: "caf" };
  if (ascii(head, 0, "#!AMR")) return { format: "amr", mime: "audio/amr", extension: "amr" };
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return isWebm(head)
      ? { format: "webm", mime: "audio/webm", extension: "webm" }
      : { format: "matroska", mime: "video/x-matroska", extension: "mkv" };
  }
  if (ascii(head, 4, "ftyp")) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    const audioOnly = brand.startsWith("M4A") || brand.startsWith("M4B");
    return audioOnly
      ? { format: "mp4", mime: "audio/mp4", extension: "m4a" }
      : brand.startsWith("qt")
        ? { format: "mp4", mime: "video/quicktime", extension: "mov" }
        : { format: "mp4", mime: "video/mp4", extension: "mp4" };
  }
  if (["moov", "mdat", "wide", "free", "skip"].some((atom) => ascii(head, 4, atom)) && head.length >= 8) {
    return { format: "mp4", mime: "video/quicktime", extension: "mov" };
  }
  const asfGuid = [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11];
  if (asfGuid.every((byte, i) => head[i] === byte))
    return { format: "asf", mime: "audio/x-ms-wma", extension: "wma" };
  if (ascii(head, 0, "ID3")) return { format: "mp3", mime: "audio/mpeg", extension: "mp3" };
  const frame = findMpegFrame(head);
  if (frame === "mp3") return { format: "mp3", mime: "audio/mpeg", extension: "mp3" };
  if (frame === "aac") return { format: "aac", mime: "audio/aac", extension: "aac" };
  return null;
}

function isWebm(head: Uint8Array): boolean {
  const limit = Math.min(head.length, 64);
  for (let i = 0; i < limit - 4; i++) if (ascii(head, i, "webm")) return true;
  return false;
}

/** Looks for two consecutive valid MPEG audio (or ADTS AAC) frame headers at the start. */
function findMpegFrame(head: Uint8Array): "mp3" | "aac" | null {
  const b0 = head[0];
  const b1 = head[1];
  const b2 = head[2];
  if (b0 !== 0xff || b1 === undefined || b2 === undefined || (b1 & 0xe0) !== 0xe0) return null;
  const layer = (b1 >> 1) & 0x3;
  if (layer === 0) {
    // ADTS: sync 0xFFF, layer 00; frame length in bits 30..42.
    if ((b1 & 0xf6) !== 0xf0) return null;
    const b3 = head[3] ?? 0;
    const b4 = head[4] ?? 0;
    const b5 = head[5] ?? 0;
    const length = ((b3 & 0x3) << 11) | (b4 << 3) | (b5 >> 5);
    if (length < 7) return null;
    return head.length < length + 2 || (head[length] === 0xff && ((head[length + 1] ?? 0) & 0xf6) === 0xf0)
      ? "aac"
      : null;
  }
  const versionBits = (b1 >> 3) & 0x3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 0x3;
  if (versionBits === 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const length = mpegFrameLength(versionBits, layer, bitrateIndex, rateIndex, (b2 >> 1) & 1);
  if (!length) return null;
  if (head.length < length + 2) return "mp3";
  return head[length] === 0xff && ((head[length + 1] ?? 0) & 0xe0) === 0xe0 ? "mp3" : null;
}

const bitrates = {
  v1l1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  v1l2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  v1l3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  v2l23: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const sampleRates = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] } as const;

function mpegFrameLength(
  versionBits: number,
  layer: number,
  bitrateIndex: number,
  rateIndex: number,
  pad: number,
) {
  const v1 = versionBits === 3;
  const table =
    layer === 3
      ? v1
        ? bitrates.v1l1
        : bitrates.v2l1
      : layer === 2
        ? v1
          ? bitrates.v1l2
          : bitrates.v2l23
        : v1
          ? bitrates.v1l3
          : bitrates.v2l23;
  const kbps = table[bitrateIndex];
  const rate = sampleRates[versionBits as 0 | 2 | 3]?.[rateIndex];
  if (!kbps || !rate) return 0;
  if (layer === 3) return Math.floor(((12 * kbps * 1000) / rate + pad) * 4);
  const samplesPerFrame = layer === 1 && !v1 ? 576 : 1152;
  return Math.floor((samplesPerFrame / 8) * ((kbps * 1000) / rate) + pad);
}
