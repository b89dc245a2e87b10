/** What a WAV header says about its audio. */
export interface WavInfo {
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Bytes of sample data the header promises (null when the writer left it open: 0 or 0xFFFFFFFF). */
  declaredDataBytes: number | null;
  /** Offset of the first sample byte (null when the data chunk lies beyond the bytes seen). */
  dataOffset: number | null;
}

/** Why a WAV header cannot be trusted. */
export type WavProblem = { problem: "bad_header" | "truncated"; message: string };

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const knownFormats = new Set([1, 3, 6, 7, WAVE_FORMAT_EXTENSIBLE, 2, 0x11, 0x55]);

/**
 * Reads a RIFF/WAVE header from the first bytes of a file and checks it against the file size:
 * a missing or absurd `fmt ` chunk is a bad header; a `data` chunk promising more bytes than the
 * file holds means the upload was cut short.
 */
export function inspectWav(head: Uint8Array, fileSize: number): WavInfo | WavProblem {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let offset = 12;
  let fmt: Omit<WavInfo, "declaredDataBytes" | "dataOffset"> | null = null;
  while (offset + 8 <= head.length) {
    const id = String.fromCharCode(...head.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      if (size < 16 || body + 16 > head.length) return bad("its format chunk is too short");
      fmt = {
        audioFormat: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
      if (!knownFormats.has(fmt.audioFormat))
        return bad(`it names an unknown audio codec (${fmt.audioFormat})`);
      if (fmt.channels < 1 || fmt.channels > 32) return bad(`it claims ${fmt.channels} channels`);
      if (fmt.sampleRate < 1000 || fmt.sampleRate > 768_000)
        return bad(`it claims a sample rate of ${fmt.sampleRate} Hz`);
      if (fmt.audioFormat === 1 && ![8, 16, 24, 32].includes(fmt.bitsPerSample)) {
        return bad(`it claims ${fmt.bitsPerSample} bits per sample`);
      }
    } else if (id === "data") {
      if (!fmt) return bad("its sample data comes before the format chunk");
      const open = size === 0 || size === 0xffffffff;
      const available = fileSize - body;
      if (!open && available < size) {
        const bytesPerSecond = (fmt.sampleRate * fmt.channels * Math.max(fmt.bitsPerSample, 8)) / 8;
        const promised = (size / bytesPerSecond).toFixed(1);
        const present = (Math.max(available, 0) / bytesPerSecond).toFixed(1);
        return {
          problem: "truncated",
          message: `The WAV file is incomplete: its header promises ${promised} s of audio but only ${present} s arrived. Upload the whole file again.`,
        };
      }
      return { ...fmt, declaredDataBytes: open ? null : size, dataOffset: body };
    }
    if (size > fileSize) return bad(`a chunk claims ${size} bytes in a ${fileSize}-byte file`);
    offset = body + size + (size % 2);
  }
  // The bytes seen ended before the file did: the data chunk lies beyond them (long metadata).
  if (fmt && offset + 8 <= fileSize) return { ...fmt, declaredDataBytes: null, dataOffset: null };
  return fmt ? bad("it has no sample data") : bad("it has no format chunk");
}

function bad(reason: string): WavProblem {
  return { problem: "bad_header", message: `The WAV file's header is not valid: ${reason}.` };
}

/** The 44-byte header of a 16-bit PCM mono WAV file holding `dataBytes` of samples. */
export function wavHeader(dataBytes: number, sampleRate: number): Buffer {
  const buffer = Buffer.alloc(44);
  buffer.write("RIFF", 0, "ascii");
  buffer.writeUInt32LE(36 + dataBytes, 4);
  buffer.write("WAVE", 8, "ascii");
  buffer.write("fmt ", 12, "ascii");
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write("data", 36, "ascii");
  buffer.writeUInt32LE(dataBytes, 40);
  return buffer;
}

/** Builds a 16-bit PCM mono WAV file in memory (short clips only: tests, live snippets). */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const dataBytes = samples.length * 2;
  return Buffer.concat([
    wavHeader(dataBytes, sampleRate),
    Buffer.from(samples.buffer, samples.byteOffset, dataBytes),
  ]);
}
