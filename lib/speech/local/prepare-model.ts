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
 * final `BpeDecoder` (an onnxruntime-extensions op) and its `Cast`, exposes the token ids and
 * the sequence score as outputs, and adds inputs for a vocabulary mask (masking
 * `<|notimestamps|>` gives Whisper's segment timestamps) and the timestamp rules. The
 * vocabulary stored in the dropped node is written beside it.
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
  wireBeamSearch(beamSearch, tokenizer);
  graph.input.push(tensorInfo("vocab_mask", [vocabSize]), tensorInfo("logits_processor", [1]));
  graph.output = [
    tensorInfo("sequences", ["batch", "returns", "length"]),
    tensorInfo("sequences_scores", ["batch", "returns"], onnx.TensorProto.DataType.FLOAT),
  ];
  model.opsetImport = (model.opsetImport ?? []).filter((opset) => opset.domain !== "ai.onnx.contrib");

  await fs.mkdir(modelDir, { recursive: true });
  await writeAtomic(paths.model, onnx.ModelProto.encode(model).finish());
  await writeAtomic(paths.tokenizer, JSON.stringify(tokenizer));
  const manifest: Manifest = { sourceSha256: whisperSource.sha256, preparationVersion };
  await writeAtomic(paths.manifest, JSON.stringify(manifest, null, 2));
  return { model: paths.model, tokenizer: paths.tokenizer, created: true };
}

/**
 * Turns the decoder into onnxruntime's WhisperBeamSearch (BeamSearch plus Whisper's token ids)
 * and feeds it what the engine uses: a vocabulary mask, the switch for onnxruntime's Whisper
 * timestamp rules (timestamps in pairs, never decreasing), and the best sequence's score
 * (its mean log-probability per token) as a second output.
 */
function wireBeamSearch(node: onnx.INodeProto, tokenizer: TokenizerData): void {
  const inputs = node.input ?? [];
  while (inputs.length < 12) inputs.push("");
  inputs[7] = "vocab_mask";
  inputs[11] = "logits_processor";
  node.input = inputs;
  node.opType = "WhisperBeamSearch";
  node.output = ["sequences", "sequences_scores"];
  const idOf = (token: string) => {
    const entry = Object.entries(tokenizer.addedTokens).find(([, value]) => value === token);
    if (!entry) throw new Error(`The Whisper vocabulary has no ${token} token.`);
    return Number(entry[0]);
  };
  const ids: Record<string, number> = {
    translate_token_id: idOf("<|translate|>"),
    transcribe_token_id: idOf("<|transcribe|>"),
    start_of_lm_token_id: idOf("<|startoflm|>"),
    no_speech_token_id: idOf("<|nocaptions|>"),
    no_timestamps_token_id: idOf("<|notimestamps|>"),
    beginning_timestamp_token_id: idOf("<|0.00|>"),
  };
  const kept = (node.attribute ?? []).filter((attribute) => !(attribute.name! in ids));
  node.attribute = [
    ...kept,
    ...Object.entries(ids).map(([name, value]) =>
      onnx.AttributeProto.create({ name, i: value, type: onnx.AttributeProto.AttributeType.INT }),
    ),
  ];
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

function tensorInfo(
  name: string,
  dims: Array<number | string>,
  elemType: onnx.TensorProto.DataType = onnx.TensorProto.DataType.INT32,
): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
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
