// The banner's words: which configured service cannot be used and why, from a health report.
import { serviceProblems } from "@/lib/client/health";
import { healthReportSchema, type HealthReport } from "@/lib/contract";

const fine: HealthReport = {
  status: "ok",
  engines: {
    speech: {
      id: "azure-speech",
      name: "Azure AI Speech",
      provider: "azure",
      configured: true,
      ready: true,
      state: "ready",
      languages: ["auto", "en-US"],
      multilingual: true,
      diarization: true,
    },
  },
  storage: { ready: true, provider: "azure" },
  summary: {
    id: "azure-openai",
    name: "Azure OpenAI",
    local: false,
    configured: true,
    reachable: true,
    ready: true,
  },
  email: { provider: "smtp", name: "SMTP", outbox: false, configured: true, reachable: true, ready: true },
  limits: { maxUploadBytes: 1024, maxDurationSec: 60 },
};

describe("service problems", () => {
  it("are none when everything is configured and answered", () => {
    expect(healthReportSchema.parse(fine)).toEqual(fine);
    expect(serviceProblems(fine)).toEqual([]);
    // Not checked yet (or nothing to check) is not a problem either.
    const unchecked = { ...fine.summary!, reachable: undefined };
    expect(serviceProblems({ ...fine, summary: unchecked })).toEqual([]);
  });

  it("name the service, its provider and what to set", () => {
    const report: HealthReport = {
      ...fine,
      status: "degraded",
      engines: {
        speech: {
          ...fine.engines.speech,
          configured: false,
          ready: false,
          state: "failed",
          error: "SPEECH_PROVIDER=azure needs AZURE_SPEECH_KEY",
        },
      },
      summary: { ...fine.summary!, reachable: false, ready: false, error: "It could not be reached." },
      email: {
        ...fine.email!,
        configured: false,
        ready: false,
        error: "EMAIL_PROVIDER=smtp needs SMTP_HOST",
      },
    };
    expect(healthReportSchema.parse(report)).toEqual(report);
    expect(serviceProblems(report)).toEqual([
      {
        service: "speech",
        text: "Speech engine (Azure AI Speech) is not configured: SPEECH_PROVIDER=azure needs AZURE_SPEECH_KEY.",
        misconfigured: true,
      },
      {
        service: "summary",
        text: "Summaries (Azure OpenAI) did not answer at start-up: It could not be reached.",
        misconfigured: false,
      },
      {
        service: "email",
        text: "E-mail (SMTP) is not configured: EMAIL_PROVIDER=smtp needs SMTP_HOST.",
        misconfigured: true,
      },
    ]);
  });

  it("include a speech engine that failed", () => {
    const report: HealthReport = {
      ...fine,
      engines: {
        speech: {
          ...fine.engines.speech,
          ready: false,
          state: "failed",
          error: "Azure AI Speech refused the key.",
        },
      },
    };
    expect(serviceProblems(report).map((problem) => problem.text)).toEqual([
      "Speech engine (Azure AI Speech) is unavailable: Azure AI Speech refused the key.",
    ]);
  });
});
