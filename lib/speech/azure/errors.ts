import { AppError } from "@/lib/domain/errors";

/** What went wrong, as the SDK reports it on `canceled` (its `CancellationErrorCode` by name). */
export interface AzureCancellation {
  errorCode: string;
  details: string;
  /** The connection closed during the session and did not come back. */
  connectionLost: boolean;
}

const credentialsHint =
  "check AZURE_SPEECH_KEY (or the Entra ID role and AZURE_SPEECH_RESOURCE_ID) and AZURE_SPEECH_REGION (or AZURE_SPEECH_ENDPOINT)";

/**
 * Maps a cancellation to the error the app reports. A refused WebSocket upgrade reaches the SDK as
 * a connection failure whose details carry the HTTP status, so those are read too. Refused
 * credentials are `engine_rejected` (502): a retry cannot fix them.
 */
export function cancellationError(cancellation: AzureCancellation): AppError {
  const { errorCode, details } = cancellation;
  const cause = new Error(`Azure Speech ${errorCode}: ${details}`);
  const status = httpStatus(details);
  if (errorCode === "AuthenticationFailure" || status === "401") {
    return new AppError(
      "engine_rejected",
      `Azure AI Speech refused the credentials: the key or region is wrong (${credentialsHint}).`,
      { cause },
    );
  }
  if (errorCode === "Forbidden" || status === "403") {
    return new AppError(
      "engine_rejected",
      `Azure AI Speech refused the request: the key or region is wrong, or the resource's quota is used up (${credentialsHint}).`,
      { cause },
    );
  }
  if (errorCode === "TooManyRequests" || status === "429") {
    return new AppError(
      "rate_limited",
      "Azure AI Speech is handling too many requests for this resource. Try again in a moment.",
      { cause },
    );
  }
  if (cancellation.connectionLost) {
    return new AppError("engine_unavailable", "The connection to Azure AI Speech was lost.", { cause });
  }
  switch (errorCode) {
    case "ConnectionFailure":
      return new AppError("engine_unavailable", "Azure AI Speech could not be reached.", { cause });
    case "ServiceTimeout":
      return new AppError("engine_unavailable", "Azure AI Speech did not answer in time.", { cause });
    case "BadRequestParameters":
      return new AppError(
        "unprocessable",
        "Azure AI Speech refused this audio or its settings (an unsupported language or audio format).",
        { cause },
      );
    default:
      return new AppError("engine_failed", "Azure AI Speech failed while transcribing this audio.", {
        cause,
      });
  }
}

/** Whether the credentials (or the resource) are wrong, rather than a passing fault. */
export function isCredentialFailure(cancellation: AzureCancellation): boolean {
  const status = httpStatus(cancellation.details);
  return (
    cancellation.errorCode === "AuthenticationFailure" ||
    cancellation.errorCode === "Forbidden" ||
    status === "401" ||
    status === "403"
  );
}

/** The HTTP status of a refused upgrade, as the WebSocket client words it ("Unexpected server response: 401"). */
function httpStatus(details: string): string | undefined {
  return /server response:?\s*(401|403|429)\b/i.exec(details)?.[1];
}

/**
 * Maps a fast transcription answer that is not a success to the error the app reports. `detail`
 * is the service's own wording (kept as the cause, for logs). Refused credentials are
 * `engine_rejected` (502): a retry cannot fix them; audio or settings the service refuses are
 * `unprocessable`.
 */
export function transcriptionStatusError(status: number, detail: string): AppError {
  const cause = new Error(`Azure Speech fast transcription answered ${status}: ${detail}`);
  if (status === 401) {
    return new AppError(
      "engine_rejected",
      `Azure AI Speech refused the credentials: the key or region is wrong (${credentialsHint}).`,
      { cause },
    );
  }
  if (status === 403) {
    return new AppError(
      "engine_rejected",
      `Azure AI Speech refused the request: the key or region is wrong, the identity lacks the "Cognitive Services Speech User" role, or the resource's quota is used up (${credentialsHint}).`,
      { cause },
    );
  }
  if (status === 429) {
    return new AppError(
      "rate_limited",
      "Azure AI Speech is handling too many requests for this resource. Try again in a moment.",
      { cause },
    );
  }
  if (status >= 500) {
    return new AppError("engine_unavailable", `Azure AI Speech is unavailable (error ${status}).`, { cause });
  }
  if (status === 400 || status === 413 || status === 415 || status === 422) {
    return new AppError(
      "unprocessable",
      `Azure AI Speech refused this audio or its settings (error ${status}: an unsupported language, or audio it cannot decode).`,
      { cause },
    );
  }
  return new AppError(
    "engine_failed",
    `Azure AI Speech failed while transcribing this audio (error ${status}).`,
    {
      cause,
    },
  );
}
