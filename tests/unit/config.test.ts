import path from "node:path";
import { ConfigError, parseConfig, type ProviderProblem } from "@/lib/config";

const cwd = path.resolve("/srv/transcribe");
/** A key in the format of Azure AI services (32 hexadecimal characters). */
const speechKey = "0123456789abcdef0123456789abcdef";

/** The problem reported for a provider chosen without usable settings. */
function problemOf(slice: object): ProviderProblem {
  if (!("problem" in slice)) throw new Error(`expected a provider problem in ${JSON.stringify(slice)}`);
  return slice.problem as ProviderProblem;
}

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe("parseConfig defaults", () => {
  it("fills every setting from an empty environment", () => {
    expect(parseConfig({}, cwd)).toEqual({
      env: "development",
      // Loopback unless HOST says otherwise: with sign-in off, only this machine reaches the app.
      server: { port: 3000, host: "127.0.0.1", trustProxy: false },
      auth: { mode: "none" },
      http: {
        publicOrigins: [],
        headersTimeoutMs: 20_000,
        requestTimeoutMs: 3_600_000,
        bodyIdleTimeoutMs: 30_000,
        jsonMaxBytes: 6 * 1024 * 1024,
        uploadsPerClient: 3,
      },
      dataDir: path.join(cwd, "data"),
      modelDir: path.join(cwd, ".cache", "models"),
      speech: {
        provider: "local",
        modelDir: path.join(cwd, ".cache", "models"),
        threads: 2,
        windowSec: 28,
        beams: 1,
        preload: true,
      },
      audio: { ffmpegPath: undefined, maxUploadBytes: 300 * 1024 * 1024, maxDurationSec: 120 * 60 },
      jobs: {
        concurrency: 1,
        worker: "in-process",
        table: "jobs",
        queue: "transcriptions",
        visibilitySec: 30,
        maxAttempts: 3,
      },
      live: { maxSessions: 3, maxSessionSec: 4 * 60 * 60, resumeSec: 30 },
      summary: { provider: "local", chunkChars: 12_000 },
      email: {
        provider: "outbox",
        from: "Transcribe <transcribe@localhost>",
        ratePerHour: 20,
        outboxDir: path.join(cwd, "data", "outbox"),
      },
      storage: {
        provider: "azurite",
        owner: "local",
        recordingsContainer: "recordings",
        transcriptsContainer: "transcripts",
        transcriptsTable: "transcripts",
        liveContainer: "live",
        azurite: {
          location: path.join(cwd, "data", "azurite"),
          blobPort: 0,
          queuePort: 0,
          tablePort: 0,
          inMemory: false,
        },
      },
      logLevel: "info",
    });
  });

  it("treats empty strings as unset", () => {
    const config = parseConfig(
      { PORT: "", DATA_DIR: "", SPEECH_PRELOAD: "", UPLOAD_MAX_MB: "", LOG_LEVEL: "", FFMPEG_PATH: "" },
      cwd,
    );
    expect(config.server.port).toBe(3000);
    expect(config.dataDir).toBe(path.join(cwd, "data"));
    expect(config.speech.preload).toBe(true);
    expect(config.audio.maxUploadBytes).toBe(300 * 1024 * 1024);
    expect(config.logLevel).toBe("info");
    expect(config.audio.ffmpegPath).toBeUndefined();
  });

  it("ignores variables it does not know", () => {
    expect(parseConfig({ HOME: "/root", PATH: "/usr/bin", SOMETHING_ELSE: "x" }, cwd)).toEqual(
      parseConfig({}, cwd),
    );
  });
});

describe("parseConfig providers", () => {
  it("needs the endpoint and deployment for Azure OpenAI, and a key or Entra ID", () => {
    expect(problemOf(parseConfig({ SUMMARY_PROVIDER: "azure-openai" }, cwd).summary)).toEqual({
      message:
        "SUMMARY_PROVIDER=azure-openai needs AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_DEPLOYMENT; SUMMARY_PROVIDER=azure-openai needs AZURE_OPENAI_API_KEY or AZURE_OPENAI_USE_ENTRA_ID=true",
      variables: ["AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_API_KEY"],
    });
    expect(
      problemOf(
        parseConfig(
          {
            SUMMARY_PROVIDER: "azure-openai",
            AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com",
            AZURE_OPENAI_DEPLOYMENT: "d",
          },
          cwd,
        ).summary,
      ).message,
    ).toMatch(/AZURE_OPENAI_API_KEY/);
    const config = parseConfig(
      {
        SUMMARY_PROVIDER: "azure-openai",
        AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com",
        AZURE_OPENAI_DEPLOYMENT: "gpt",
        AZURE_OPENAI_USE_ENTRA_ID: "true",
      },
      cwd,
    );
    expect(config.summary).toMatchObject({
      provider: "azure-openai",
      deployment: "gpt",
      useEntraId: true,
      apiVersion: "2024-10-21",
    });
  });

  it("needs a host for SMTP and a key for Resend", () => {
    expect(problemOf(parseConfig({ EMAIL_PROVIDER: "smtp" }, cwd).email)).toEqual({
      message: "EMAIL_PROVIDER=smtp needs SMTP_HOST",
      variables: ["SMTP_HOST"],
    });
    expect(problemOf(parseConfig({ EMAIL_PROVIDER: "resend" }, cwd).email).message).toBe(
      "EMAIL_PROVIDER=resend needs RESEND_API_KEY",
    );
    expect(
      parseConfig({ EMAIL_PROVIDER: "smtp", SMTP_HOST: "mail", SMTP_PORT: "25" }, cwd).email,
    ).toMatchObject({
      provider: "smtp",
      smtp: { host: "mail", port: 25, secure: false },
    });
  });

  it("uses Azure Storage with a connection string or an account name (Entra ID) when STORAGE_PROVIDER=azure", () => {
    const entra = parseConfig(
      { STORAGE_PROVIDER: "azure", AZURE_STORAGE_ACCOUNT_NAME: "myaccount", STORAGE_OWNER: "team-a" },
      cwd,
    );
    expect(entra.storage).toMatchObject({
      provider: "azure",
      credential: { kind: "entra-id", accountName: "myaccount" },
      owner: "team-a",
    });
    const keyed = parseConfig(
      { STORAGE_PROVIDER: "azure", AZURE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true" },
      cwd,
    );
    expect(keyed.storage).toMatchObject({
      provider: "azure",
      credential: { kind: "connection-string", connectionString: "UseDevelopmentStorage=true" },
    });
    expect(() =>
      parseConfig({ STORAGE_PROVIDER: "azure", AZURE_STORAGE_ACCOUNT_NAME: "Bad_Name" }, cwd),
    ).toThrow(/AZURE_STORAGE_ACCOUNT_NAME/);
  });

  it("refuses Azure Storage without a credential, and Azure variables while Azurite is chosen", () => {
    expect(() => parseConfig({ STORAGE_PROVIDER: "azure" }, cwd)).toThrow(
      /STORAGE_PROVIDER=azure needs AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_NAME/,
    );
    expect(() => parseConfig({ AZURE_STORAGE_ACCOUNT_NAME: "myaccount" }, cwd)).toThrow(
      /set STORAGE_PROVIDER=azure/,
    );
  });

  it("uses Azure AI Speech with a key and a region or an endpoint when SPEECH_PROVIDER=azure", () => {
    const regional = parseConfig(
      { SPEECH_PROVIDER: "azure", AZURE_SPEECH_KEY: speechKey, AZURE_SPEECH_REGION: "westeurope" },
      cwd,
    );
    expect(regional.speech).toMatchObject({
      provider: "azure",
      preload: true,
      azure: {
        key: speechKey,
        region: "westeurope",
        endpoint: undefined,
        autoLanguages: ["en-US", "de-DE", "fr-FR", "es-ES"],
        profanity: "masked",
      },
    });
    const custom = parseConfig(
      {
        SPEECH_PROVIDER: "azure",
        AZURE_SPEECH_KEY: "secret-key",
        AZURE_SPEECH_ENDPOINT: "wss://speech.internal.example/stt/speech/universal/v2",
        AZURE_SPEECH_AUTO_LANGUAGES: " en-GB, nl-NL ",
      },
      cwd,
    );
    expect(custom.speech).toMatchObject({
      provider: "azure",
      azure: {
        endpoint: "wss://speech.internal.example/stt/speech/universal/v2",
        region: undefined,
        autoLanguages: ["en-GB", "nl-NL"],
      },
    });
  });

  it("sets the Azure AI Speech profanity option", () => {
    for (const profanity of ["masked", "removed", "raw"] as const) {
      const config = parseConfig(
        {
          SPEECH_PROVIDER: "azure",
          AZURE_SPEECH_KEY: speechKey,
          AZURE_SPEECH_REGION: "westeurope",
          AZURE_SPEECH_PROFANITY: profanity,
        },
        cwd,
      );
      expect(config.speech).toMatchObject({ provider: "azure", azure: { profanity } });
    }
  });

  it("uses Entra ID for Azure AI Speech with the resource ID instead of a key", () => {
    const resourceId =
      "/subscriptions/0000/resourceGroups/speech-rg/providers/Microsoft.CognitiveServices/accounts/my-speech";
    const config = parseConfig(
      {
        SPEECH_PROVIDER: "azure",
        AZURE_SPEECH_USE_ENTRA_ID: "true",
        AZURE_SPEECH_RESOURCE_ID: resourceId,
        AZURE_SPEECH_REGION: "westeurope",
      },
      cwd,
    );
    expect(config.speech).toMatchObject({
      provider: "azure",
      azure: { entraIdResourceId: resourceId, region: "westeurope" },
    });
    expect("azure" in config.speech && config.speech.azure.key).toBeUndefined();
    const problem = problemOf(
      parseConfig(
        { SPEECH_PROVIDER: "azure", AZURE_SPEECH_USE_ENTRA_ID: "true", AZURE_SPEECH_KEY: "secret-key" },
        cwd,
      ).speech,
    );
    expect(problem.message).toMatch(
      /needs AZURE_SPEECH_RESOURCE_ID \(with AZURE_SPEECH_USE_ENTRA_ID=true\) and AZURE_SPEECH_REGION \(or AZURE_SPEECH_ENDPOINT\)$/,
    );
    expect(problem.variables).toEqual(["AZURE_SPEECH_RESOURCE_ID", "AZURE_SPEECH_REGION"]);
  });

  it("names what Azure AI Speech lacks, never echoing the key, and still starts", () => {
    expect(problemOf(parseConfig({ SPEECH_PROVIDER: "azure" }, cwd).speech).message).toBe(
      "SPEECH_PROVIDER=azure needs AZURE_SPEECH_KEY (or AZURE_SPEECH_USE_ENTRA_ID=true with AZURE_SPEECH_RESOURCE_ID) and AZURE_SPEECH_REGION (or AZURE_SPEECH_ENDPOINT)",
    );
    expect(
      problemOf(parseConfig({ SPEECH_PROVIDER: "azure", AZURE_SPEECH_REGION: "westeurope" }, cwd).speech)
        .message,
    ).toMatch(/needs AZURE_SPEECH_KEY \(or AZURE_SPEECH_USE_ENTRA_ID=true with AZURE_SPEECH_RESOURCE_ID\)$/);
    const config = parseConfig({ SPEECH_PROVIDER: "azure", AZURE_SPEECH_KEY: speechKey }, cwd);
    const problem = problemOf(config.speech);
    expect(problem.message).toMatch(/needs AZURE_SPEECH_REGION \(or AZURE_SPEECH_ENDPOINT\)$/);
    expect(JSON.stringify(config.speech)).not.toContain(speechKey);
    // The rest of the configuration is as usual.
    expect(config.storage.provider).toBe("azurite");
  });

  it("takes a malformed Azure AI Speech key as a problem, never echoing it", () => {
    for (const key of ["secret-key", "<your-key>", `${speechKey} `.repeat(2).trim(), speechKey.slice(1)]) {
      const config = parseConfig(
        { SPEECH_PROVIDER: "azure", AZURE_SPEECH_KEY: key, AZURE_SPEECH_REGION: "westeurope" },
        cwd,
      );
      const problem = problemOf(config.speech);
      expect(problem.variables).toEqual(["AZURE_SPEECH_KEY"]);
      expect(problem.message).toMatch(/^AZURE_SPEECH_KEY is not an Azure AI services key \(32 hexadecimal/);
      expect(JSON.stringify(config.speech)).not.toContain(key);
    }
    const newFormat = "A1b2C3d4".repeat(10) + "E5f6";
    expect(newFormat).toHaveLength(84);
    for (const key of [speechKey, speechKey.toUpperCase(), newFormat]) {
      expect(
        parseConfig(
          { SPEECH_PROVIDER: "azure", AZURE_SPEECH_KEY: key, AZURE_SPEECH_REGION: "westeurope" },
          cwd,
        ).speech,
      ).toMatchObject({ azure: { key } });
    }
    // Azure's endpoints check the format too; a container or gateway of one's own takes any key.
    expect(
      problemOf(
        parseConfig(
          {
            SPEECH_PROVIDER: "azure",
            AZURE_SPEECH_KEY: "secret-key",
            AZURE_SPEECH_ENDPOINT: "https://my-speech.cognitiveservices.azure.com/",
          },
          cwd,
        ).speech,
      ).variables,
    ).toEqual(["AZURE_SPEECH_KEY"]);
    expect(
      parseConfig(
        {
          SPEECH_PROVIDER: "azure",
          AZURE_SPEECH_KEY: "secret-key",
          AZURE_SPEECH_ENDPOINT: "ws://localhost:5000",
        },
        cwd,
      ).speech,
    ).toMatchObject({ azure: { key: "secret-key" } });
  });

  it.each([
    ["AZURE_SPEECH_REGION", "West Europe"],
    ["AZURE_SPEECH_ENDPOINT", "not a url"],
    ["AZURE_SPEECH_ENDPOINT", "ftp://speech.example"],
    ["AZURE_SPEECH_AUTO_LANGUAGES", "english"],
    ["AZURE_SPEECH_AUTO_LANGUAGES", Array.from({ length: 11 }, () => "en-US").join(",")],
    ["AZURE_SPEECH_PROFANITY", "hidden"],
    ["AZURE_SPEECH_RESOURCE_ID", "my-speech"],
  ])("reports %s=%s as the engine's problem, naming it", (name, value) => {
    const config = parseConfig(
      {
        SPEECH_PROVIDER: "azure",
        AZURE_SPEECH_KEY: speechKey,
        AZURE_SPEECH_REGION: "westeurope",
        [name]: value,
      },
      cwd,
    );
    const problem = problemOf(config.speech);
    expect(problem.variables).toEqual([name]);
    expect(problem.message).toContain(name);
    expect(problem.message).not.toContain(speechKey);
  });

  it("still refuses to start on a malformed setting of a provider not chosen", () => {
    const error = configError({ AZURE_SPEECH_REGION: "West Europe" });
    expect(error.message).toBe(
      "Invalid configuration: AZURE_SPEECH_REGION: must be an Azure region name (e.g. westeurope)",
    );
    const both = configError({ PORT: "abc", SPEECH_PROVIDER: "azure", AZURE_SPEECH_REGION: "West Europe" });
    expect(both.message).toMatch(/PORT/);
    expect(both.message).toMatch(/AZURE_SPEECH_REGION/);
  });

  it.each([
    ["SUMMARY_PROVIDER", "openai-compatible", "OPENAI_BASE_URL"],
    ["SUMMARY_PROVIDER", "azure-openai", "AZURE_OPENAI_ENDPOINT"],
    ["EMAIL_PROVIDER", "resend", "RESEND_BASE_URL"],
    ["SPEECH_PROVIDER", "openai-compatible", "OPENAI_SPEECH_BASE_URL"],
  ])("takes a base URL that is not http(s) as a problem of %s=%s (%s)", (choice, provider, name) => {
    const config = parseConfig(
      {
        [choice]: provider,
        OPENAI_BASE_URL: "http://localhost:11434/v1",
        OPENAI_MODEL: "llama3.1",
        AZURE_OPENAI_ENDPOINT: "https://x.openai.azure.com",
        AZURE_OPENAI_DEPLOYMENT: "gpt",
        AZURE_OPENAI_USE_ENTRA_ID: "true",
        RESEND_API_KEY: "re_123",
        OPENAI_SPEECH_BASE_URL: "http://localhost:8000/v1",
        OPENAI_SPEECH_MODEL: "whisper-1",
        [name]: "ftp://files.example.com",
      },
      cwd,
    );
    const slice =
      choice === "SUMMARY_PROVIDER"
        ? config.summary
        : choice === "EMAIL_PROVIDER"
          ? config.email
          : config.speech;
    expect(problemOf(slice)).toEqual({
      message: `${name}: must be an http:// or https:// URL`,
      variables: [name],
    });
  });

  it("uses an OpenAI-compatible transcription endpoint when SPEECH_PROVIDER=openai-compatible", () => {
    const local = parseConfig(
      {
        SPEECH_PROVIDER: "openai-compatible",
        OPENAI_SPEECH_BASE_URL: "http://localhost:8000/v1",
        OPENAI_SPEECH_MODEL: "Systran/faster-whisper-small",
      },
      cwd,
    );
    expect(local.speech).toMatchObject({
      provider: "openai-compatible",
      openai: {
        kind: "openai",
        baseUrl: "http://localhost:8000/v1",
        model: "Systran/faster-whisper-small",
        apiKey: undefined,
        maxUploadBytes: 25 * 1024 * 1024,
      },
    });
    const hosted = parseConfig(
      {
        SPEECH_PROVIDER: "openai-compatible",
        OPENAI_SPEECH_BASE_URL: "https://api.openai.com/v1",
        OPENAI_SPEECH_MODEL: "whisper-1",
        OPENAI_SPEECH_API_KEY: "sk-secret",
        OPENAI_SPEECH_MAX_MB: "10",
      },
      cwd,
    );
    expect(hosted.speech).toMatchObject({
      openai: { apiKey: "sk-secret", maxUploadBytes: 10 * 1024 * 1024 },
    });
  });

  it("uses an Azure OpenAI Whisper deployment with the Azure OpenAI endpoint and key", () => {
    const config = parseConfig(
      {
        SPEECH_PROVIDER: "openai-compatible",
        AZURE_OPENAI_SPEECH_DEPLOYMENT: "whisper",
        AZURE_OPENAI_ENDPOINT: "https://example.openai.azure.com",
        AZURE_OPENAI_API_KEY: speechKey,
      },
      cwd,
    );
    expect(config.speech).toMatchObject({
      provider: "openai-compatible",
      openai: {
        kind: "azure",
        endpoint: "https://example.openai.azure.com",
        deployment: "whisper",
        apiVersion: "2024-10-21",
        apiKey: speechKey,
      },
    });
    // The summariser's settings stay its own.
    expect(config.summary.provider).toBe("local");
  });

  it("names what the OpenAI-compatible speech provider lacks, never echoing a key", () => {
    const speechProblem = (env: Record<string, string>) =>
      problemOf(parseConfig({ SPEECH_PROVIDER: "openai-compatible", ...env }, cwd).speech);
    expect(speechProblem({}).message).toMatch(
      /SPEECH_PROVIDER=openai-compatible needs OPENAI_SPEECH_BASE_URL and OPENAI_SPEECH_MODEL/,
    );
    const noModel = speechProblem({
      OPENAI_SPEECH_BASE_URL: "http://localhost:8000/v1",
      OPENAI_SPEECH_API_KEY: "sk-secret",
    });
    expect(noModel.message).toMatch(/needs OPENAI_SPEECH_MODEL /);
    expect(noModel.message).not.toContain("sk-secret");
    const azure = speechProblem({
      AZURE_OPENAI_SPEECH_DEPLOYMENT: "whisper",
      AZURE_OPENAI_API_KEY: "azure-secret",
    });
    expect(azure.message).toMatch(/AZURE_OPENAI_SPEECH_DEPLOYMENT needs AZURE_OPENAI_ENDPOINT$/);
    expect(azure.message).not.toContain("azure-secret");
    expect(
      speechProblem({
        AZURE_OPENAI_SPEECH_DEPLOYMENT: "whisper",
        AZURE_OPENAI_ENDPOINT: "https://example.openai.azure.com",
      }).message,
    ).toMatch(/needs AZURE_OPENAI_API_KEY$/);
    expect(
      speechProblem({
        OPENAI_SPEECH_BASE_URL: "http://localhost:8000/v1",
        AZURE_OPENAI_SPEECH_DEPLOYMENT: "whisper",
      }).message,
    ).toMatch(/not both/);
    expect(configError({ OPENAI_SPEECH_BASE_URL: "not a url" }).message).toContain("OPENAI_SPEECH_BASE_URL");
    expect(configError({ OPENAI_SPEECH_MAX_MB: "0" }).message).toContain("OPENAI_SPEECH_MAX_MB");
  });

  it("allows the in-memory doubles only under NODE_ENV=test", () => {
    expect(() => parseConfig({ STORAGE_PROVIDER: "memory" }, cwd)).toThrow(/only for tests/);
    expect(() => parseConfig({ SPEECH_PROVIDER: "fake" }, cwd)).toThrow(/only for tests/);
    const config = parseConfig(
      { NODE_ENV: "test", STORAGE_PROVIDER: "memory", SPEECH_PROVIDER: "fake" },
      cwd,
    );
    expect(config.storage.provider).toBe("memory");
    expect(config.speech.provider).toBe("fake");
  });
});

describe("parseConfig values", () => {
  it("coerces numeric strings", () => {
    const config = parseConfig(
      {
        PORT: "8080",
        SPEECH_THREADS: "8",
        SPEECH_WINDOW_SEC: "12.5",
        SPEECH_BEAMS: "3",
        JOBS_CONCURRENCY: "4",
      },
      cwd,
    );
    expect(config.server.port).toBe(8080);
    expect(config.speech).toMatchObject({ threads: 8, windowSec: 12.5, beams: 3 });
    expect(config.jobs.concurrency).toBe(4);
  });

  it("converts megabytes to bytes and minutes to seconds", () => {
    const config = parseConfig({ UPLOAD_MAX_MB: "1.5", AUDIO_MAX_MINUTES: "0.5" }, cwd);
    expect(config.audio.maxUploadBytes).toBe(1_572_864);
    expect(config.audio.maxDurationSec).toBe(30);
    expect(parseConfig({ UPLOAD_MAX_MB: "10", AUDIO_MAX_MINUTES: "90" }, cwd).audio).toMatchObject({
      maxUploadBytes: 10_485_760,
      maxDurationSec: 5400,
    });
  });

  it("reads the public origins, timeouts and request limits", () => {
    const config = parseConfig(
      {
        PUBLIC_ORIGINS: " https://Transcribe.Example.com/ , http://10.0.0.5:8080",
        HEADERS_TIMEOUT_SEC: "5",
        REQUEST_TIMEOUT_SEC: "0",
        BODY_IDLE_TIMEOUT_SEC: "2.5",
        JSON_MAX_MB: "0.5",
        UPLOADS_PER_CLIENT: "10",
      },
      cwd,
    );
    expect(config.http).toEqual({
      publicOrigins: ["https://transcribe.example.com", "http://10.0.0.5:8080"],
      headersTimeoutMs: 5000,
      requestTimeoutMs: 0,
      bodyIdleTimeoutMs: 2500,
      jsonMaxBytes: 524_288,
      uploadsPerClient: 10,
    });
    expect(configError({ PUBLIC_ORIGINS: "transcribe.example.com" }).message).toMatch(/PUBLIC_ORIGINS/);
    expect(configError({ PUBLIC_ORIGINS: "ftp://files.example.com" }).message).toMatch(/PUBLIC_ORIGINS/);
    expect(configError({ UPLOADS_PER_CLIENT: "0" }).message).toMatch(/UPLOADS_PER_CLIENT/);
  });

  it("resolves relative folders against the given working directory", () => {
    const config = parseConfig({ DATA_DIR: "storage/data", MODEL_DIR: "../models" }, cwd);
    expect(config.dataDir).toBe(path.join(cwd, "storage", "data"));
    expect(config.modelDir).toBe(path.join(path.dirname(cwd), "models"));
    expect(path.isAbsolute(config.dataDir)).toBe(true);
  });

  it("keeps absolute folders as they are", () => {
    const absolute = path.resolve("/var/lib/transcribe");
    expect(parseConfig({ DATA_DIR: absolute }, cwd).dataDir).toBe(absolute);
  });

  it("reads the yes/no settings and the other strings", () => {
    expect(parseConfig({ SPEECH_PRELOAD: "false" }, cwd).speech.preload).toBe(false);
    expect(parseConfig({ SPEECH_PRELOAD: "no" }, cwd).speech.preload).toBe(false);
    expect(parseConfig({ SPEECH_PRELOAD: "0" }, cwd).speech.preload).toBe(false);
    expect(parseConfig({ SPEECH_PRELOAD: "1" }, cwd).speech.preload).toBe(true);
    expect(parseConfig({ SPEECH_PRELOAD: "yes" }, cwd).speech.preload).toBe(true);
    const config = parseConfig(
      { NODE_ENV: "production", HOST: "127.0.0.1", FFMPEG_PATH: "/opt/ffmpeg", LOG_LEVEL: "warn" },
      cwd,
    );
    expect(config).toMatchObject({
      env: "production",
      server: { host: "127.0.0.1" },
      audio: { ffmpegPath: "/opt/ffmpeg" },
      logLevel: "warn",
    });
  });
});

describe("parseConfig rejects invalid settings", () => {
  it.each([
    ["PORT", "abc"],
    ["PORT", "0"],
    ["PORT", "70000"],
    ["PORT", "80.5"],
    ["SPEECH_PROVIDER", "nope"],
    ["STORAGE_PROVIDER", "s3"],
    ["UPLOAD_MAX_MB", "-1"],
    ["UPLOAD_MAX_MB", "0"],
    ["AUDIO_MAX_MINUTES", "lots"],
    ["SPEECH_WINDOW_SEC", "30"],
    ["SPEECH_THREADS", "0"],
    ["SPEECH_PRELOAD", "maybe"],
    ["NODE_ENV", "staging"],
    ["LOG_LEVEL", "verbose"],
  ])("%s=%s throws a ConfigError naming the variable", (name, value) => {
    const error = configError({ [name]: value });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain(name);
  });

  it("names only the variables at fault, all of them", () => {
    const error = configError({
      PORT: "abc",
      UPLOAD_MAX_MB: "-1",
      HOST: "example.org",
      JOBS_CONCURRENCY: "2",
    });
    expect(error.message).toMatch(/\bPORT\b/);
    expect(error.message).toMatch(/\bUPLOAD_MAX_MB\b/);
    expect(error.message).not.toMatch(/HOST|JOBS_CONCURRENCY/);
  });
});
