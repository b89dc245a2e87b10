import type { LiveModel, LiveOptions, LiveTranscription } from "@/lib/speech/types";
import { PCM_SAMPLE_RATE } from "@/lib/audio/pcm";
import { VAD_FRAME_SAMPLES } from "@/lib/speech/local/silero-vad";
import { StreamingTranscriber } from "./streaming-transcriber";

/**
 * Live transcription on a local model: its voice-activity stream cuts utterances, and the model
 * decodes the open one for partials and each closed one for its final segment.
 */
export function startModelLive(model: LiveModel, options: LiveOptions): LiveTranscription {
  const decoding = model.openLive();
  return new StreamingTranscriber({
    sampleRate: PCM_SAMPLE_RATE,
    frameSamples: VAD_FRAME_SAMPLES,
    vad: decoding.vad,
    decode: (samples, decodeOptions) => decoding.decode(samples, decodeOptions),
    emit: options.emit,
  });
}
