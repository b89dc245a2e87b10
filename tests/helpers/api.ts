import fs from "node:fs";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import {
  getProcessServices,
  startProcessServices,
  systemContext,
  type ServiceContext,
  type Services,
} from "@/lib/services";
import type { SpeechEngine } from "@/lib/speech";
import { POST } from "@/app/api/transcriptions/route";
import { GET as getJob } from "@/app/api/transcriptions/[id]/route";

export const fixtures = path.join(__dirname, "..", "fixtures");

/**
 * The settings every API test starts from: this file's data folder and storage partition
 * (tests/setup-env.ts) and the Azurite of the whole run (tests/global-setup.ts).
 */
export const testSettings: Readonly<Record<string, string | undefined>> = Object.freeze({
  NODE_ENV: "test",
  LOG_LEVEL: process.env.LOG_LEVEL,
  DATA_DIR: process.env.DATA_DIR,
  MODEL_DIR: process.env.MODEL_DIR,
  FFMPEG_PATH: process.env.FFMPEG_PATH,
  STORAGE_OWNER: process.env.STORAGE_OWNER,
  STORAGE_PROVIDER: process.env.STORAGE_PROVIDER,
  AZURE_STORAGE_CONNECTION_STRING: process.env.AZURE_STORAGE_CONNECTION_STRING,
  JOBS_TABLE: process.env.JOBS_TABLE,
  JOBS_QUEUE: process.env.JOBS_QUEUE,
  STORAGE_LIVE_CONTAINER: process.env.STORAGE_LIVE_CONTAINER,
});

let current: Record<string, string | undefined> = { ...testSettings };

/**
 * Builds the configuration from the current settings with these changes (undefined: back to the
 * test default) and installs a new service set through the composition root; `reuse.engine`
 * installs that engine instead of the configured one.
 */
export async function configure(
  overrides: Record<string, string | undefined>,
  reuse: { engine?: SpeechEngine } = {},
): Promise<Services> {
  current = { ...current };
  for (const [key, value] of Object.entries(overrides)) current[key] = value ?? testSettings[key];
  return startProcessServices(parseConfig(current), reuse);
}

/** Services and owner the route handlers use now (for checks behind the API's back). */
export async function currentContext(): Promise<ServiceContext> {
  return systemContext(await getProcessServices());
}

/** POSTs a multipart upload straight into the route handler. */
export async function upload(
  file: Buffer | null,
  options: { name?: string; type?: string; fields?: Record<string, string> } = {},
): Promise<Response> {
  const form = new FormData();
  if (file)
    form.set(
      "audio",
      new File([new Uint8Array(file)], options.name ?? "audio.wav", { type: options.type ?? "audio/wav" }),
    );
  for (const [key, value] of Object.entries(options.fields ?? {})) form.set(key, value);
  return POST(new Request("http://localhost/api/transcriptions", { method: "POST", body: form }), {});
}

/** Fetches a job's state. */
export async function fetchJob(id: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await getJob(new Request(`http://localhost/api/transcriptions/${id}`), {
    params: Promise.resolve({ id }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls a job until it finishes; returns every progress value seen and the final body. */
export async function waitForJob(id: string, timeoutMs = 90_000) {
  const progress: number[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await fetchJob(id);
    progress.push(body.progress as number);
    if (body.status === "succeeded" || body.status === "failed" || body.status === "cancelled") {
      return { body, progress };
    }
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function readFixture(name: string): Buffer {
  return fs.readFileSync(path.join(fixtures, name));
}
