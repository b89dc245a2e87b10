// npm run bench:diarization: the offline speaker diarization on the shared evaluation set's
// multi-speaker recordings (and the cases bench/diarization-set.ts derives from it), scored with
// the set's own scorer (DER, 0.25 s collar). For each file: DER with the number of speakers
// estimated and with it given, the speakers found, and speed; for the evaluation recordings also
// the DER of the transcript's labelled segments. Prints JSON and writes bench/results/diarization.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig } from "@/lib/config";
import { createSpeechEngine } from "@/lib/speech";
import { diarizeAudio } from "@/lib/speech/diarization/diarize-audio";
import { speakerLabel } from "@/lib/domain/speakers";
import { resolvePackageFile, vadSource } from "@/lib/speech/local/model-files";
import { SileroVad, VAD_FRAME_SAMPLES } from "@/lib/speech/local/silero-vad";
import { buildDiarizationSet, formatRttm, type ReferenceTurn } from "./diarization-set";
import { sharedEvalDir } from "./score";

interface DerResult {
  der: number;
  missedRate: number;
  falseAlarmRate: number;
  confusionRate: number;
}
type Der = (
  reference: ReferenceTurn[],
  hypothesis: ReferenceTurn[],
  options: { collar: number },
) => DerResult;

interface FileReport {
  id: string;
  group: string;
  audioSec: number;
  speakers: number;
  found: number;
  der: number;
  missed: number;
  falseAlarm: number;
  confusion: number;
  derKnownCount: number;
  transcriptDer?: number;
  realTime: number;
  realTimeWithVad: number;
}

const root = path.resolve(__dirname, "..");
const TARGETS = ["pyannote_sample", "picovoice_3spk", "synthetic_conversation_7spk"];
const pct = (value: number) => Math.round(value * 1000) / 10;
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);

async function main() {
  if (!fs.existsSync(path.join(sharedEvalDir, "manifest.json"))) {
    console.error(`No evaluation set at ${sharedEvalDir}.`);
    process.exit(1);
  }
  const { der } = (await import(pathToFileURL(path.join(sharedEvalDir, "score.mjs")).href)) as { der: Der };
  const config = loadConfig();
  const only = process.env.BENCH_DIARIZATION_ONLY?.split(",");
  const withTranscripts = process.env.BENCH_DIARIZATION_TRANSCRIPTS !== "0";
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "diarization-bench-"));
  const vad = await SileroVad.load(resolvePackageFile(vadSource), 1);
  const engine = withTranscripts ? createSpeechEngine(config.speech) : null;
  try {
    const cases = (await buildDiarizationSet(sharedEvalDir, workDir, config.audio.ffmpegPath)).filter(
      (entry) => !only || only.some((prefix) => entry.id.startsWith(prefix)),
    );
    const files: FileReport[] = [];
    for (const entry of cases) {
      const audio = {
        path: entry.pcmPath,
        sampleRate: 16_000 as const,
        samples: Math.round(entry.durationSec * 16_000),
        durationSec: entry.durationSec,
      };
      const vadStarted = performance.now();
      const probabilities = await vad.detect(audio);
      const started = performance.now();
      const estimated = await diarizeAudio(audio, { probabilities, frameSamples: VAD_FRAME_SAMPLES });
      const diarizationSec = (performance.now() - started) / 1000;
      const vadSec = (started - vadStarted) / 1000;
      const known = await diarizeAudio(audio, {
        probabilities,
        frameSamples: VAD_FRAME_SAMPLES,
        speakers: entry.speakers,
      });
      const asTurns = (turns: Array<{ start: number; end: number; speaker: number }>) =>
        turns.map((turn) => ({ start: turn.start, end: turn.end, speaker: speakerLabel(turn.speaker + 1) }));
      const scored = der(entry.reference, asTurns(estimated.turns), { collar: 0.25 });
      const scoredKnown = der(entry.reference, asTurns(known.turns), { collar: 0.25 });
      fs.writeFileSync(
        path.join(workDir, `${entry.id}.rttm`),
        formatRttm(entry.id, asTurns(estimated.turns)),
      );

      let transcriptDer: number | undefined;
      if (engine && entry.group === "eval") {
        const result = await engine.transcribe(audio, { language: "en-US", diarize: true });
        const labelled = result.segments
          .filter((segment) => segment.speaker)
          .map((segment) => ({ start: segment.start, end: segment.end, speaker: segment.speaker! }));
        transcriptDer = pct(der(entry.reference, labelled, { collar: 0.25 }).der);
      }
      files.push({
        id: entry.id,
        group: entry.group,
        audioSec: Math.round(entry.durationSec * 10) / 10,
        speakers: entry.speakers,
        found: estimated.speakers,
        der: pct(scored.der),
        missed: pct(scored.missedRate),
        falseAlarm: pct(scored.falseAlarmRate),
        confusion: pct(scored.confusionRate),
        derKnownCount: pct(scoredKnown.der),
        ...(transcriptDer !== undefined ? { transcriptDer } : {}),
        realTime: Math.round(entry.durationSec / diarizationSec),
        realTimeWithVad: Math.round(entry.durationSec / (diarizationSec + vadSec)),
      });
    }
    const byGroup = (group: string) => files.filter((file) => file.group === group);
    const summarise = (list: typeof files) => ({
      files: list.length,
      meanDer: Math.round(mean(list.map((file) => file.der)) * 10) / 10,
      meanDerKnownCount: Math.round(mean(list.map((file) => file.derKnownCount)) * 10) / 10,
      meanSpeakerCountError:
        Math.round(mean(list.map((file) => Math.abs(file.found - file.speakers))) * 100) / 100,
      exactSpeakerCount: list.filter((file) => file.found === file.speakers).length,
    });
    const report = {
      collarSec: 0.25,
      targets: files
        .filter((file) => TARGETS.includes(file.id))
        .map((file) => ({
          id: file.id,
          der: file.der,
          speakers: file.speakers,
          found: file.found,
          met: file.der <= 20,
        })),
      summary: {
        eval: summarise(byGroup("eval")),
        ami: summarise(files.filter((file) => file.id.startsWith("ami_"))),
        generated: summarise(byGroup("generated")),
        long: summarise(byGroup("long")),
        degraded: summarise(byGroup("degraded")),
        slowestRealTime: Math.min(...files.map((file) => file.realTimeWithVad)),
      },
      files,
      cpus: os.cpus().length,
      node: process.version,
    };
    console.log(JSON.stringify(report, null, 2));
    if (!only) {
      fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
      fs.writeFileSync(
        path.join(root, "bench/results/diarization.json"),
        JSON.stringify(report, null, 2) + "\n",
      );
    }
  } finally {
    await vad.release();
    await engine?.close?.();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
