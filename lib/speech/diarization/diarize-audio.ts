import { streamPcm, type PcmAudio } from "@/lib/audio/pcm";
import { findSpeech } from "../local/windows";
import { diarizeFeatures, type Diarization, type DiarizeOptions } from "./diarize";
import { FRAME_RATE, MelExtractor, toCepstra } from "./mfcc";

/** Inputs of {@link diarizeAudio} besides the audio. */
export interface DiarizeAudioOptions extends DiarizeOptions {
  /** Speech probability of each VAD frame of the whole file. */
  probabilities: ArrayLike<number>;
  /** Samples per VAD frame. */
  frameSamples: number;
  signal?: AbortSignal;
}

const CHUNK_SAMPLES = 16_000 * 30;

/**
 * Who spoke when in a decoded file. Speech regions come from the VAD probabilities the
 * transcription already computed (short pauses kept inside a region, so turns are not cut at
 * every breath); the audio is streamed from disk into MFCC features, never held whole.
 */
export async function diarizeAudio(audio: PcmAudio, options: DiarizeAudioOptions): Promise<Diarization> {
  const regions = findSpeech(options.probabilities, {
    sampleRate: audio.sampleRate,
    frameSamples: options.frameSamples,
    maxWindowSec: 30,
    threshold: 0.5,
    negativeThreshold: 0.35,
    minSilenceSec: 0.4,
    minSpeechSec: 0.25,
  });
  const extractor = new MelExtractor();
  for await (const chunk of streamPcm(audio, CHUNK_SAMPLES)) {
    options.signal?.throwIfAborted();
    extractor.push(chunk);
  }
  const hop = audio.sampleRate / FRAME_RATE;
  const speech = regions.map((region) => ({
    start: Math.floor(region.start / hop),
    end: Math.ceil(region.end / hop),
  }));
  return diarizeFeatures(toCepstra(extractor.energies()), speech, options);
}
