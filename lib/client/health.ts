import { healthReportSchema, type HealthReport } from "@/lib/contract";
import { errorFromResponse, parseResponse, request } from "./request";

export async function fetchHealth(signal: AbortSignal): Promise<HealthReport> {
  // A degraded server answers 503 with the full report, which is still worth showing.
  const { status, ok, body } = await request("/api/health", { signal });
  try {
    return parseResponse(healthReportSchema, status, body);
  } catch (error) {
    throw ok ? error : errorFromResponse(status, body);
  }
}

/** A configured service that cannot be used, in words for the page. */
export interface ServiceProblem {
  service: "speech" | "summary" | "email";
  /** E.g. "Speech engine (Azure AI Speech) is not configured: SPEECH_PROVIDER=azure needs …" */
  text: string;
  /** True when its settings are missing or malformed (read at start-up: a restart is needed). */
  misconfigured: boolean;
}

/**
 * The configured speech engine, summariser and e-mail sender that cannot be used: not configured,
 * refused or unreachable at start-up, or (speech) failed. Empty when all is well.
 */
export function serviceProblems(health: HealthReport): ServiceProblem[] {
  const problems: ServiceProblem[] = [];
  const describe = (
    service: ServiceProblem["service"],
    label: string,
    state: { configured: boolean; reachable?: boolean; error?: string },
    failed: boolean,
  ) => {
    const reason = sentence(state.error ?? "check its settings");
    if (!state.configured)
      problems.push({ service, text: `${label} is not configured: ${reason}`, misconfigured: true });
    else if (state.reachable === false) {
      problems.push({
        service,
        text: `${label} did not answer at start-up: ${reason}`,
        misconfigured: false,
      });
    } else if (failed)
      problems.push({ service, text: `${label} is unavailable: ${reason}`, misconfigured: false });
  };
  const speech = health.engines.speech;
  describe("speech", `Speech engine (${speech.name})`, speech, speech.state === "failed");
  if (health.summary) describe("summary", `Summaries (${health.summary.name})`, health.summary, false);
  if (health.email) describe("email", `E-mail (${health.email.name})`, health.email, false);
  return problems;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

let shared: Promise<HealthReport> | null = null;

/**
 * One health report shared by every caller on the page (the header, the editor), for facts that
 * rarely change: which summariser and e-mail sender are configured. A failed request, or a report
 * from a server whose services are not up yet, is not kept, so the next call asks again.
 */
export function loadSharedHealth(): Promise<HealthReport> {
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
