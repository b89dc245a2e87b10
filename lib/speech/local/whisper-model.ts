import fs from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { PCM_SAMPLE_RATE } from "@/lib/audio/pcm";
import { WhisperTokenizer, type TokenizerData } from "./tokenizer";

/** How one window is decoded; the defaults are the fast path. */
export interface DecodeOptions {
  /** Beam width (1 = greedy). */
  beams?: number;
  /** Above 1 lowers the score of tokens already in the sequence (1 = off). */
  repetitionPenalty?: number;
}

/** The decoder's answer for one window. */
export interface DecodedWindow {
  /** Generated token ids after `<|startoftranscript|>`, ending with `<|endoftext|>` when it finished. */
  tokens: number[];
  /** Mean log-probability per generated token (BeamSearch's length-normalised score). */
  avgLogProb: number;
}

const MAX_LENGTH = 448;

/**
 * Tokens a window may produce: room for fast speech (about 10 tokens a second with timestamps),
 * so that a decoder stuck in a loop stops early instead of filling the whole context.
 */
function maxLength(samples: number): number {
  return Math.min(MAX_LENGTH, 33 + Math.ceil((samples / PCM_SAMPLE_RATE) * 10));
}

/** Whisper tiny.en on onnxruntime-node: one ≤30 s window of 16 kHz audio in, token ids out. */
export class WhisperModel {
  private readonly vocabMask: ort.Tensor;
  private readonly scalars: Record<string, ort.Tensor>;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly tokenizer: WhisperTokenizer,
    private readonly defaultBeams: number,
  ) {
    const mask = new Int32Array(tokenizer.vocabSize).fill(1);
    // Masking <|notimestamps|> makes Whisper emit its segment timestamps.
    mask[tokenizer.noTimestamps] = 0;
    // As Whisper does: control tokens are never generated; "no speech" is read from its probability.
    for (const id of tokenizer.controlTokens()) mask[id] = 0;
    this.vocabMask = new ort.Tensor("int32", mask, [mask.length]);
    this.scalars = {
      min_length: new ort.Tensor("int32", Int32Array.of(0), [1]),
      num_return_sequences: new ort.Tensor("int32", Int32Array.of(1), [1]),
      length_penalty: new ort.Tensor("float32", Float32Array.of(1), [1]),
      // onnxruntime's Whisper timestamp rules: timestamps in pairs, never decreasing.
      logits_processor: new ort.Tensor("int32", Int32Array.of(1), [1]),
    };
  }

  /** Loads the prepared graph and its vocabulary. */
  static async load(
    files: { model: string; tokenizer: string },
    options: { threads: number; beams: number },
  ) {
    const data = JSON.parse(await fs.readFile(files.tokenizer, "utf8")) as TokenizerData;
    const session = await ort.InferenceSession.create(files.model, {
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      // Shapes vary per window (beam search); pre-planned memory patterns only cost RSS here.
      enableMemPattern: false,
    });
    return new WhisperModel(session, new WhisperTokenizer(data), options.beams);
  }

  /** Frees the model's native memory; the object is unusable afterwards. */
  async release(): Promise<void> {
    await this.session.release();
  }

  /** Decodes one window (at most 30 s). */
  async decode(samples: Float32Array, options: DecodeOptions = {}): Promise<DecodedWindow> {
    const result = await this.session.run({
      audio_pcm: new ort.Tensor("float32", samples, [1, samples.length]),
      vocab_mask: this.vocabMask,
      max_length: new ort.Tensor("int32", Int32Array.of(maxLength(samples.length)), [1]),
      num_beams: new ort.Tensor("int32", Int32Array.of(options.beams ?? this.defaultBeams), [1]),
      repetition_penalty: new ort.Tensor("float32", Float32Array.of(options.repetitionPenalty ?? 1), [1]),
      ...this.scalars,
    });
    const sequences = result.sequences;
    if (!sequences) throw new Error("The Whisper graph returned no sequences.");
    // The sequence starts with <|startoftranscript|> and is padded after <|endoftext|>.
    const tokens = Array.from(sequences.data as Int32Array).slice(1);
    const end = tokens.indexOf(this.tokenizer.endOfText);
    return {
      tokens: end >= 0 ? tokens.slice(0, end + 1) : tokens,
      avgLogProb: Number((result.sequences_scores?.data as Float32Array | undefined)?.[0] ?? 0),
    };
  }
}
