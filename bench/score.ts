import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { wordErrorRate } from "../tests/helpers/wer";

/** The shared evaluation set, beside the project, when it is there. */
export const sharedEvalDir = path.resolve(__dirname, "..", "..", "shared", "eval");

/**
 * WER (0..1) with the evaluation set's own scorer when it is there (it also normalises numbers:
 * "1462" = "fourteen sixty two"); otherwise the simpler one the tests use. `workDir` holds the
 * scorer's input files.
 */
export function createWerScorer(workDir: string): (reference: string, hypothesis: string) => number {
  const scorer = path.join(sharedEvalDir, "score.mjs");
  if (!fs.existsSync(scorer)) return wordErrorRate;
  return (reference, hypothesis) => {
    const ref = path.join(workDir, "ref.txt");
    const hyp = path.join(workDir, "hyp.txt");
    fs.writeFileSync(ref, reference);
    fs.writeFileSync(hyp, hypothesis);
    const output = execFileSync(process.execPath, [scorer, "wer", ref, hyp], { encoding: "utf8" });
    const match = /WER\s+([\d.]+)%/.exec(output);
    return match ? Number(match[1]) / 100 : wordErrorRate(reference, hypothesis);
  };
}
