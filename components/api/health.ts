import {
  ApiRequestError,
  errorFromResponse,
  isObject,
  num,
  parseBody,
  request,
  str,
  UNEXPECTED_MESSAGE,
} from "./client";
import type { EmailHealth, Health, SummarizerHealth, SummarizerId } from "./types";

const SUMMARIZERS: readonly SummarizerId[] = ["local", "azure-openai", "openai-compatible"];
const EMAIL_PROVIDERS: ReadonlyArray<EmailHealth["provider"]> = ["outbox", "smtp", "resend"];

function parseSummarizer(value: unknown): SummarizerHealth | null {
  if (!isObject(value) || !SUMMARIZERS.includes(value.id as SummarizerId)) return null;
  const id = value.id as SummarizerId;
  return {
    id,
    name: str(value.name) || (id === "local" ? "Local summary" : "Cloud summary"),
    local: value.local === true,
  };
}

function parseEmail(value: unknown): EmailHealth | null {
  if (!isObject(value) || !EMAIL_PROVIDERS.includes(value.provider as EmailHealth["provider"])) return null;
  return { provider: value.provider as EmailHealth["provider"], outbox: value.outbox === true };
}

function parseHealth(value: unknown): Health {
  const speech = isObject(value) && isObject(value.engines) ? value.engines.speech : undefined;
  if (!isObject(value) || !isObject(speech)) throw new ApiRequestError(UNEXPECTED_MESSAGE, 200);
  const limits = isObject(value.limits) ? value.limits : {};
  const maxUploadBytes = num(limits.maxUploadBytes, NaN);
  const maxDurationSec = num(limits.maxDurationSec, NaN);
  return {
    status: value.status === "ok" || value.status === "degraded" ? value.status : "starting",
    engines: {
      speech: {
        id: str(speech.id) || undefined,
        name: str(speech.name, "Speech engine"),
        ready: speech.ready === true,
        languages: Array.isArray(speech.languages)
          ? speech.languages.filter((l) => typeof l === "string")
          : [],
        multilingual: speech.multilingual === true,
        diarization: speech.diarization === true,
        error: typeof speech.error === "string" && speech.error ? speech.error : undefined,
      },
    },
    limits: {
      maxUploadBytes: maxUploadBytes > 0 ? maxUploadBytes : undefined,
      maxDurationSec: maxDurationSec > 0 ? maxDurationSec : undefined,
    },
    summary: parseSummarizer(value.summary),
    email: parseEmail(value.email),
  };
}

export async function fetchHealth(signal: AbortSignal): Promise<Health> {
  // A degraded server answers 503 with the full report, which is still worth showing.
  const { status, ok, body } = await request("/api/health", { signal });
  try {
    return parseHealth(parseBody(status, body));
  } catch (error) {
    throw ok ? error : errorFromResponse(status, body);
  }
}

let shared: Promise<Health> | null = null;

/**
 * One health report shared by every caller on the page (the header, the editor), for facts that
 * rarely change: which summariser and e-mail sender are configured. A failed request, or a report
 * from a server whose services are not up yet, is not kept, so the next call asks again.
 */
export function loadSharedHealth(): Promise<Health> {
  if (!shared) {
    const pending = fetchHealth(new AbortController().signal);
    shared = pending;
    pending.then(
      (health) => {
        if (!health.summary || !health.email) shared = null;
      },
      () => {
        shared = null;
      },
    );
  }
  return shared;
}
