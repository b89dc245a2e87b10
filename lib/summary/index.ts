import type { AppConfig } from "@/lib/config";
import { ExtractiveSummarizer } from "./local/extractive-summarizer";
import type { Summarizer } from "./types";
import { UnconfiguredSummarizer } from "./unconfigured/unconfigured-summarizer";

export type * from "./types";

/**
 * Builds the summariser the configuration names; cloud SDKs load only when configured. One chosen
 * without usable settings refuses to summarise and says why.
 */
export async function createSummarizer(config: AppConfig["summary"]): Promise<Summarizer> {
  if ("problem" in config) {
    const name = config.provider === "azure-openai" ? "Azure OpenAI" : "OpenAI-compatible endpoint";
    return new UnconfiguredSummarizer({ id: config.provider, name, local: false }, config.problem);
  }
  const provider = config.provider;
  switch (provider) {
    case "local":
      return new ExtractiveSummarizer();
    case "azure-openai": {
      const [{ AzureOpenAI }, { ChatSummarizer }, identity] = await Promise.all([
        import("openai"),
        import("./openai/chat-summarizer"),
        config.apiKey ? null : import("@azure/identity"),
      ]);
      const client = new AzureOpenAI({
        // Without this the client also reads OPENAI_BASE_URL, which belongs to the other provider.
        baseURL: null,
        endpoint: config.endpoint,
        deployment: config.deployment,
        apiVersion: config.apiVersion,
        maxRetries: config.maxRetries,
        timeout: config.timeoutMs,
        ...(config.apiKey
          ? { apiKey: config.apiKey }
          : {
              azureADTokenProvider: identity!.getBearerTokenProvider(
                new identity!.DefaultAzureCredential(),
                "https://cognitiveservices.azure.com/.default",
              ),
            }),
      });
      return new ChatSummarizer(
        client,
        config.deployment,
        { id: "azure-openai", name: "Azure OpenAI", local: false },
        config.chunkChars,
      );
    }
    case "openai-compatible": {
      const [{ default: OpenAI }, { ChatSummarizer }] = await Promise.all([
        import("openai"),
        import("./openai/chat-summarizer"),
      ]);
      const client = new OpenAI({
        baseURL: config.baseUrl,
        apiKey: config.apiKey ?? "not-needed",
        maxRetries: config.maxRetries,
        timeout: config.timeoutMs,
      });
      return new ChatSummarizer(
        client,
        config.model,
        { id: "openai-compatible", name: `Model ${config.model}`, local: false },
        config.chunkChars,
      );
    }
    default: {
      const unknown: never = provider;
      throw new Error(`Unknown summary provider: ${String(unknown)}`);
    }
  }
}
