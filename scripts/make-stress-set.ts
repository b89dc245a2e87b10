// Writes the speech engine's stress set (long concatenations of real clips, clips played twice and
// cut short): npm run stress-set -- [--out DIR] [--seed N] [--quick]
import path from "node:path";
import { parseArgs } from "node:util";
import { resolveFfmpeg } from "@/lib/audio/ffmpeg";
import { loadConfig } from "@/lib/config";
import { generateStressSet, listStressClips } from "../bench/stress-set";

const root = path.resolve(__dirname, "..");

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: path.join(root, ".cache", "stress-set") },
      seed: { type: "string", default: "1" },
      quick: { type: "boolean", default: false },
    },
  });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new Error(`--seed must be a whole number, not ${values.seed}.`);
  const outDir = path.resolve(values.out);
  const ffmpegPath = loadConfig().audio.ffmpegPath;
  const clips = listStressClips(root);
  const started = performance.now();
  const files = await generateStressSet({ outDir, seed, clips, quick: values.quick, ffmpegPath });
  const elapsedSec = (performance.now() - started) / 1000;

  for (const file of files) {
    const cut = file.cutFraction === undefined ? "" : ` cut ${Math.round(file.cutFraction * 100)} %`;
    console.log(
      `${file.id.padEnd(10)} ${file.format.padEnd(4)} ${file.durationSec.toFixed(1).padStart(6)} s` +
        `  ${String(file.pieces.length).padStart(3)} pieces${cut}`,
    );
  }
  const audioSec = files.reduce((sum, file) => sum + file.durationSec, 0);
  const ffmpeg = resolveFfmpeg(ffmpegPath);
  console.log(
    `${files.length} files, ${(audioSec / 60).toFixed(1)} min of audio from ${clips.length} clips ` +
      `(seed ${seed}${values.quick ? ", quick" : ""}, ${ffmpeg.source} ffmpeg) in ${elapsedSec.toFixed(1)} s: ${outDir}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
