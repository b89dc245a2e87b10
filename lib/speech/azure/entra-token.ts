import type { AccessToken, TokenCredential } from "@azure/identity";
import { AppError } from "@/lib/domain/errors";

/** The scope of Entra ID tokens for Azure AI services. */
export const COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";
/** A token is renewed this long before it expires. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Entra ID tokens for Azure AI Speech: the Speech SDK's authorization token, in its format
 * `aad#<resource ID>#<access token>`, and the plain access token that the REST API takes as
 * `Authorization: Bearer`. The access token is kept until shortly before it expires.
 */
export class EntraSpeechTokens {
  private current: AccessToken | null = null;
  private pending: Promise<AccessToken> | null = null;

  constructor(
    private readonly resourceId: string,
    private readonly credential: TokenCredential,
  ) {}

  /** An SDK authorization token valid for at least a few more minutes. */
  async get(): Promise<string> {
    return `aad#${this.resourceId}#${await this.accessToken()}`;
  }

  /** The Entra ID access token itself (for `Authorization: Bearer`), valid for a few more minutes. */
  async accessToken(): Promise<string> {
    const now = Date.now();
    if (!this.current || this.current.expiresOnTimestamp - RENEW_BEFORE_MS <= now) {
      this.pending ??= this.fetch().finally(() => (this.pending = null));
      this.current = await this.pending;
    }
    return this.current.token;
  }

  private async fetch(): Promise<AccessToken> {
    let token: AccessToken | null;
    try {
      token = await this.credential.getToken(COGNITIVE_SERVICES_SCOPE);
    } catch (error) {
      throw new AppError(
        "engine_rejected",
        "No Entra ID token for Azure AI Speech: check the server's Azure identity (AZURE_SPEECH_USE_ENTRA_ID).",
        { cause: error },
      );
    }
    if (!token) {
      throw new AppError("engine_rejected", "The Azure identity gave no token for Azure AI Speech.");
    }
    return token;
  }
}

/** The server's Azure identity (managed identity, workload identity, Azure CLI, …). */
export async function defaultAzureCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new DefaultAzureCredential();
}
