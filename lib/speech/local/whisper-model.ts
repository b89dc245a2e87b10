import fs from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { WhisperTokenizer, type TokenizerData } from "./tokenizer";

/** Whisper tiny.en on onnxruntime-node: one ≤30 s window of 16 kHz audio in, token ids out. */
export class WhisperModel {
  private readonly vocabMask: ort.Tensor;
  private readonly scalars: Record<string, ort.Tensor>;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly tokenizer: WhisperTokenizer,
    beams: number,
  ) {
    const mask = new Int32Array(tokenizer.vocabSize).fill(1);
    // Masking <|notimestamps|> makes Whisper emit its segment timestamps.
    mask[tokenizer.noTimestamps] = 0;
    this.vocabMask = new ort.Tensor("int32", mask, [mask.length]);
    this.scalars = {
      max_length: new ort.Tensor("int32", Int32Array.of(448), [1]),
      min_length: new ort.Tensor("int32", Int32Array.of(0), [1]),
      num_beams: new ort.Tensor("int32", Int32Array.of(beams), [1]),
      num_return_sequences: new ort.Tensor("int32", Int32Array.of(1), [1]),
      length_penalty: new ort.Tensor("float32", Float32Array.of(1), [1]),
      repetition_penalty: new ort.Tensor("float32", Float32Array.of(1), [1]),
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

  /** Decodes one window (at most 30 s) and returns the best token sequence. */
  async decode(samples: Float32Array): Promise<number[]> {
    const result = await this.session.run({
      audio_pcm: new ort.Tensor("float32", samples, [1, samples.length]),
      vocab_mask: this.vocabMask,
      ...this.scalars,
    });
    const sequences = result.sequences;
    if (!sequences) throw new Error("The Whisper graph returned no sequences.");
    return Array.from(sequences.data as Int32Array);
  }
}
