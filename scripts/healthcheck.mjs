// The container's health check (Dockerfile HEALTHCHECK): node scripts/healthcheck.mjs [--strict] [--timeout=5]
//
// Asks this container's own server for GET /api/health (PORT; HOST when it is a specific address,
// loopback otherwise) and exits 0 (healthy) or 1 (unhealthy), printing one line that Docker keeps
// in `docker inspect`.
//
// Healthy: the server answers within the time limit with its health report, whether `ok` or
// `starting` (200) or `degraded` (503). Degraded means storage or a provider outside the container
// is unusable or misconfigured: restarting the container does not fix that, and the app explains it
// to its users itself (503 replies with reasons, a banner). Unhealthy: no answer (not listening,
// hung), a time-out, or any other reply. With --strict, `degraded` is unhealthy too (for example for
// Compose's `depends_on: condition: service_healthy`).
//
// Plain JavaScript without dependencies, so that it starts in milliseconds every 30 s.
import process from "node:process";

const args = process.argv.slice(2);
const strict = args.includes("--strict");
const timeoutArg = args.find((arg) => arg.startsWith("--timeout="));
const timeoutMs = Math.round(1000 * (timeoutArg ? Number(timeoutArg.slice("--timeout=".length)) : 5));

/** Where to reach the server: a wildcard listen address means loopback. */
function target(host) {
  if (!host || host === "0.0.0.0") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

const port = Number(process.env.PORT || 3000);
const url = `http://${target(process.env.HOST)}:${port}/api/health`;

/** Why a degraded server is degraded, from its report (never values: the report holds none). */
function reasons(report) {
  const parts = [];
  if (report.storage && report.storage.ready === false)
    parts.push(`storage: ${report.storage.error ?? "not ready"}`);
  const speech = report.engines && report.engines.speech;
  if (speech && (speech.state === "failed" || speech.configured === false)) {
    parts.push(`speech: ${speech.error ?? speech.state}`);
  }
  for (const name of ["summary", "email"]) {
    const provider = report[name];
    if (provider && provider.configured === false)
      parts.push(`${name}: ${provider.error ?? "not configured"}`);
  }
  return parts.join("; ");
}

async function main() {
  let response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: "application/json" },
    });
  } catch (error) {
    const cause =
      error && error.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : String(error.cause ?? error);
    return fail(`${url}: ${cause}`);
  }
  let report = null;
  try {
    report = await response.json();
  } catch {
    // Not the health report.
  }
  const status = report && typeof report === "object" ? report.status : undefined;
  if (response.status === 200 && (status === "ok" || status === "starting")) return pass(status);
  if (response.status === 503 && status === "degraded") {
    const why = reasons(report);
    return strict ? fail(`degraded${why ? ` (${why})` : ""}`) : pass(`degraded${why ? ` (${why})` : ""}`);
  }
  return fail(`${url} answered ${response.status}${status ? ` (${status})` : ""}`);
}

function pass(text) {
  console.log(`healthy: ${text}`);
  process.exitCode = 0;
}

function fail(text) {
  console.log(`unhealthy: ${text}`);
  process.exitCode = 1;
}

await main();
