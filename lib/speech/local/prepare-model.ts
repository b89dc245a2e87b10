import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { onnx } from "onnx-proto";
import {
  preparationVersion,
  preparedPaths,
  resolvePackageFile,
  vadSource,
  whisperSource,
} from "./model-files";
import type { TokenizerData } from "./tokenizer";

/** Outcome of {@link prepareWhisperModel}. */
export interface PreparedModel {
  model: string;
  tokenizer: string;
  /** False when the files were already there and current. */
  created: boolean;
}

interface Manifest {
  sourceSha256: string;
  preparationVersion: number;
}

/** sha256 of a file, streamed. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Checks that a packaged model file is the one this code was written for. */
export async function verifyPackagedFile(source: { packageName: string; file: string; sha256: string }) {
  const file = resolvePackageFile(source);
  const actual = await hashFile(file).catch((error: unknown) => {
    throw new Error(`Model file ${source.packageName}/${source.file} is missing (run npm ci).`, {
      cause: error,
    });
  });
  if (actual !== source.sha256) {
    throw new Error(
      `Model file ${source.packageName}/${source.file} has sha256 ${actual}, expected ${source.sha256}.`,
    );
  }
  return file;
}

/**
 * Turns the packaged Whisper graph into one that stock onnxruntime-node can run: drops the
 * final `BpeDecoder` (an onnxruntime-extensions op) and its `Cast`, exposes BeamSearch's token
 * ids as the output, and adds a `vocab_mask` input so `<|notimestamps|>` can be masked to get
 * Whisper's segment timestamps. The vocabulary stored in the dropped node is written beside it.
 * Idempotent and offline; writes atomically.
 */
export async function prepareWhisperModel(modelDir: string): Promise<PreparedModel> {
  const paths = preparedPaths(modelDir);
  const existing = await readManifest(paths.manifest);
  if (
    existing?.sourceSha256 === whisperSource.sha256 &&
    existing.preparationVersion === preparationVersion &&
    (await exists(paths.model)) &&
    (await exists(paths.tokenizer))
  ) {
    return { model: paths.model, tokenizer: paths.tokenizer, created: false };
  }

  const sourceFile = await verifyPackagedFile(whisperSource);
  await verifyPackagedFile(vadSource);
  const model = onnx.ModelProto.decode(await fs.readFile(sourceFile));
  const graph = model.graph;
  if (!graph) throw new Error("The Whisper model has no graph.");

  const nodes = graph.node ?? [];
  const decoderNode = nodes.find((node) => node.opType === "BpeDecoder");
  const beamSearch = nodes.find((node) => node.opType === "BeamSearch");
  if (!decoderNode || !beamSearch?.input || !graph.input)
    throw new Error("The Whisper model does not have the expected nodes.");

  const tokenizer = extractTokenizer(decoderNode);
  const vocabSize = tokenizer.vocabSize;
  graph.node = nodes.filter((node) => node.opType !== "BpeDecoder" && node.opType !== "Cast");
  beamSearch.input[7] = "vocab_mask";
  graph.input.push(tensorInfo("vocab_mask", [vocabSize]));
  graph.output = [tensorInfo("sequences", ["batch", "returns", "length"])];
  model.opsetImport = (model.opsetImport ?? []).filter((opset) => opset.domain !== "ai.onnx.contrib");

  await fs.mkdir(modelDir, { recursive: true });
  await writeAtomic(paths.model, onnx.ModelProto.encode(model).finish());
  await writeAtomic(paths.tokenizer, JSON.stringify(tokenizer));
  const manifest: Manifest = { sourceSha256: whisperSource.sha256, preparationVersion };
  await writeAtomic(paths.manifest, JSON.stringify(manifest, null, 2));
  return { model: paths.model, tokenizer: paths.tokenizer, created: true };
}

function extractTokenizer(node: onnx.INodeProto): TokenizerData {
  const text = (name: string) => {
    const attribute = node.attribute?.find((a) => a.name === name);
    if (!attribute?.s) throw new Error(`BpeDecoder has no ${name} attribute.`);
    return Buffer.from(attribute.s).toString("utf8");
  };
  const vocab = text("id_vocab").split("\n");
  const addedTokens: Record<string, string> = {};
  for (const line of text("added_tokens").split("\n")) {
    const tab = line.indexOf("\t");
    if (tab > 0) addedTokens[line.slice(0, tab)] = line.slice(tab + 1);
  }
  const byteDecoder: Record<string, number> = {};
  for (const line of text("byte_decoder").split("\n")) {
    const [codePoint, byte] = line.split("\t");
    if (codePoint && byte) byteDecoder[codePoint] = Number(byte);
  }
  const ids = Object.keys(addedTokens).map(Number);
  return { vocab, addedTokens, byteDecoder, vocabSize: Math.max(vocab.length, ...ids.map((id) => id + 1)) };
}

function tensorInfo(name: string, dims: Array<number | string>): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.INT32,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

async function readManifest(file: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as Manifest;
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.writeFile(temporary, data);
  await fs.rename(temporary, file);
}
