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
