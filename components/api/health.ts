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
import type { Health } from "./types";

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
