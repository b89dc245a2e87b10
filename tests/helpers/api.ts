import fs from "node:fs";
import path from "node:path";
import { resetConfig } from "@/lib/config";
import { closeServices } from "@/lib/transcripts/context";
import { POST } from "@/app/api/transcriptions/route";
import { GET as getJob } from "@/app/api/transcriptions/[id]/route";

export const fixtures = path.join(__dirname, "..", "fixtures");

/** Rebuilds configuration and services with these environment overrides (undefined removes). */
export async function configure(overrides: Record<string, string | undefined>): Promise<void> {
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetConfig();
  await closeServices();
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
    if (body.status === "succeeded" || body.status === "failed") return { body, progress };
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function readFixture(name: string): Buffer {
  return fs.readFileSync(path.join(fixtures, name));
}
