// AudioWorklet module for live transcription: turns the microphone, at whatever rate the
// AudioContext runs (44.1 kHz, 48 kHz, …), into 16 kHz mono 16-bit PCM frames of 100 ms.
//
// Messages posted to the main thread:
//   { type: "audio", samples: ArrayBuffer (Int16, little-endian as on every browser platform),
//     rms: number, peak: number }     one frame, 1600 samples, levels 0..1 over that frame
//   { type: "flushed" }               answer to { type: "flush" }: the last, shorter frame
//                                     has been posted and the processor takes no more input
//
// Loaded with `audioWorklet.addModule` in the browser and by the unit tests in Node (which stub
// `AudioWorkletProcessor`, `registerProcessor` and `sampleRate`).

const TARGET_RATE = 16000;
const FRAME_SAMPLES = 1600;
/** Half the kernel's length, in zero crossings of its sinc: sharper cut-off for more taps. */
const ZERO_CROSSINGS = 24;
/** Cut-off as a fraction of the lower Nyquist frequency, leaving room for the transition band. */
const CUTOFF = 0.9;
/** Rates with a large common period get their fractional positions rounded to this many phases. */
const MAX_PHASES = 1024;

function greatestCommonDivisor(a, b) {
  while (b !== 0) {
    const rest = a % b;
    a = b;
    b = rest;
  }
  return a;
}

function blackman(x) {
  // x in [-1, 1]; 0 outside.
  if (x <= -1 || x >= 1) return 0;
  const t = Math.PI * (x + 1);
  return 0.42 - 0.5 * Math.cos(t) + 0.08 * Math.cos(2 * t);
}

function sinc(x) {
  if (x === 0) return 1;
  const t = Math.PI * x;
  return Math.sin(t) / t;
}

/**
 * Band-limited resampler: a Blackman-windowed sinc low-pass evaluated at each output sample's
 * position in the input, with one precomputed kernel per fractional position (phase). Output
 * sample n sits at input position n * inputRate / outputRate, so timing is exact.
 */
class Resampler {
  constructor(inputRate, outputRate) {
    const inRate = Math.round(inputRate);
    const outRate = Math.round(outputRate);
    const divisor = greatestCommonDivisor(inRate, outRate);
    /** Input position advances by step / period per output sample. */
    this.step = inRate / divisor;
    this.period = outRate / divisor;
    this.phases = Math.min(this.period, MAX_PHASES);

    // Cut-off in cycles per input sample, below the Nyquist frequency of the lower rate.
    const cutoff = 0.5 * Math.min(1, outRate / inRate) * CUTOFF;
    const halfWidth = ZERO_CROSSINGS / (2 * cutoff);
    this.half = Math.ceil(halfWidth);
    this.taps = 2 * this.half;
    this.kernels = new Float32Array(this.phases * this.taps);
    for (let phase = 0; phase < this.phases; phase += 1) {
      const fraction = phase / this.phases;
      let sum = 0;
      for (let tap = 0; tap < this.taps; tap += 1) {
        // Tap j reads input sample base + j - half + 1, at this distance from the output position.
        const distance = tap - this.half + 1 - fraction;
        const weight = 2 * cutoff * sinc(2 * cutoff * distance) * blackman(distance / halfWidth);
        this.kernels[phase * this.taps + tap] = weight;
        sum += weight;
      }
      // Unity gain at DC for every phase.
      for (let tap = 0; tap < this.taps; tap += 1) this.kernels[phase * this.taps + tap] /= sum;
    }

    // Input history: half - 1 zeros before the first sample, so the first output sits at its time.
    this.history = new Float32Array(4096);
    this.length = this.half - 1;
    this.base = this.half - 1;
    this.numerator = 0;
  }

  /** Appends input samples; calls `emit(sample)` for every output sample that can now be computed. */
  push(input, emit) {
    if (this.length + input.length > this.history.length) {
      const grown = new Float32Array(Math.max(this.history.length * 2, this.length + input.length));
      grown.set(this.history.subarray(0, this.length));
      this.history = grown;
    }
    this.history.set(input, this.length);
    this.length += input.length;

    const { history, kernels, taps, half, step, period, phases } = this;
    while (this.base + half < this.length) {
      const phase = phases === period ? this.numerator : Math.floor((this.numerator * phases) / period);
      const offset = phase * taps;
      const first = this.base - half + 1;
      let sample = 0;
      for (let tap = 0; tap < taps; tap += 1) sample += kernels[offset + tap] * history[first + tap];
      emit(sample);
      this.numerator += step;
      this.base += Math.floor(this.numerator / period);
      this.numerator %= period;
    }

    // Keep only what later outputs still read.
    const keepFrom = this.base - half + 1;
    if (keepFrom > 0) {
      history.copyWithin(0, keepFrom, this.length);
      this.length -= keepFrom;
      this.base -= keepFrom;
    }
  }
}

function toInt16(sample) {
  const clamped = sample < -1 ? -1 : sample > 1 ? 1 : sample;
  return Math.round(clamped < 0 ? clamped * 32768 : clamped * 32767);
}

class LiveCaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.resampler = new Resampler(sampleRate, TARGET_RATE);
    this.mono = new Float32Array(128);
    this.frame = new Int16Array(FRAME_SAMPLES);
    this.filled = 0;
    this.squares = 0;
    this.peak = 0;
    this.stopped = false;
    this.collect = (sample) => {
      this.frame[this.filled] = toInt16(sample);
      this.filled += 1;
      this.squares += sample * sample;
      const magnitude = Math.abs(sample);
      if (magnitude > this.peak) this.peak = magnitude;
      if (this.filled === FRAME_SAMPLES) this.postFrame();
    };
    this.port.onmessage = (event) => {
      if (!event.data || event.data.type !== "flush" || this.stopped) return;
      this.stopped = true;
      this.postFrame();
      this.port.postMessage({ type: "flushed" });
    };
  }

  postFrame() {
    if (this.filled === 0) return;
    const samples = this.filled === FRAME_SAMPLES ? this.frame : this.frame.slice(0, this.filled);
    const rms = Math.sqrt(this.squares / this.filled);
    this.port.postMessage({ type: "audio", samples: samples.buffer, rms, peak: Math.min(1, this.peak) }, [
      samples.buffer,
    ]);
    this.frame = new Int16Array(FRAME_SAMPLES);
    this.filled = 0;
    this.squares = 0;
    this.peak = 0;
  }

  process(inputs) {
    if (this.stopped) return false;
    const channels = inputs[0];
    if (!channels || channels.length === 0 || !channels[0]) return true;
    const size = channels[0].length;
    if (this.mono.length !== size) this.mono = new Float32Array(size);
    const mono = this.mono;
    if (channels.length === 1) {
      mono.set(channels[0]);
    } else {
      mono.fill(0);
      for (const channel of channels) for (let i = 0; i < size; i += 1) mono[i] += channel[i];
      for (let i = 0; i < size; i += 1) mono[i] /= channels.length;
    }
    this.resampler.push(mono, this.collect);
    return true;
  }
}

registerProcessor("live-capture", LiveCaptureProcessor);
