// npm run bench:wer: transcribes every recording of the shared evaluation set that has a reference
// and scores it with the set's own scorer (WER per file and overall), then the stress set's
// concatenations against the same clips one by one, printed as JSON.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeToPcm } from "@/lib/audio/ffmpeg";
import { loadConfig } from "@/lib/config";
import { createSpeechEngine } from "@/lib/speech";
import { createWerScorer } from "./score";
import { benchStressSet } from "./stress-bench";

const evalDir = path.resolve(__dirname, "..", "..", "shared", "eval");

interface ManifestFile {
  id: string;
  path: string;
  kind: string;
  ref: string | null;
  duration_s: number;
}

async function main() {
  const manifestPath = path.join(evalDir, "manifest.json");
  if (!fs.existsSync(manifestPath)) {
    console.error(`No evaluation set at ${evalDir}.`);
    process.exit(1);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { files: ManifestFile[] };
  const files = manifest.files.filter((file) => file.kind === "wer" && file.ref);
  const config = loadConfig();
  const engine = createSpeechEngine(config.speech);
  await engine.warmUp();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-eval-"));
  const hypDir = path.join(workDir, "hyp");
  fs.mkdirSync(hypDir);
  let audioSec = 0;
  const started = performance.now();
  try {
    for (const file of files) {
      const pcm = await decodeToPcm(path.join(evalDir, file.path), path.join(workDir, "x.pcm"), {
        ffmpegPath: config.audio.ffmpegPath,
        maxDurationSec: 4 * 3600,
      });
      const result = await engine.transcribe(pcm, { language: "en-US", diarize: false });
      audioSec += pcm.durationSec;
      fs.writeFileSync(path.join(hypDir, `${file.id}.txt`), result.text);
    }
    const elapsedSec = (performance.now() - started) / 1000;
    const report = execFileSync(process.execPath, [path.join(evalDir, "score.mjs"), "wer-all", hypDir], {
      encoding: "utf8",
    });
    const overall = /OVERALL WER\s+([\d.]+)%/.exec(report);
    const stress = await benchStressSet({ engine, workDir, scoreWer: createWerScorer(workDir) });
    console.log(
      JSON.stringify(
        {
          files: files.length,
          audioSec: Math.round(audioSec),
          realTimeFactor: Math.round((audioSec / elapsedSec) * 10) / 10,
          overallWer: overall ? Number(overall[1]) : null,
          report: report.trim().split("\n"),
          stress: {
            concatWer: stress.summary.concatWer,
            clipByClipWer: stress.summary.clipByClipWer,
            concatenations: stress.files
              .filter((file) => file.kind === "concat")
              .map((file) => ({ id: file.id, format: file.format, audioSec: file.audioSec, wer: file.wer })),
            uncoveredPieces: stress.summary.uncoveredPieces,
            loops: stress.summary.loops,
            failedFiles: stress.summary.failedFiles,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
