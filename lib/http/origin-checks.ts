import { isIP } from "node:net";
import { AppError } from "@/lib/domain/errors";

/** The request headers the checks read, whatever carries them (Node's IncomingMessage or a Fetch Request). */
export type HeaderReader = (name: string) => string | undefined;

/** Where the server accepts requests from. */
export interface OriginPolicy {
  /** Origins people reach the app at (`PUBLIC_ORIGINS`), e.g. `https://transcribe.example.com`. */
  publicOrigins: readonly string[];
  /** Behind a reverse proxy: the public host comes from X-Forwarded-Host. */
  trustProxy: boolean;
  /** Names of this machine that a browser may use besides loopback and IP addresses (its host name). */
  localNames?: readonly string[];
}

/** Methods that change something: refused when another site sends them. */
export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function first(value: string | undefined): string | undefined {
  return value?.split(",")[0]?.trim() || undefined;
}

/**
 * `host[:port]` in lower case without a default port (80 or 443: which scheme the client used is
 * not always known behind a proxy, and both name the same host).
 */
function normalHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/:(80|443)$/, "");
}

/** The host the client addressed: `Host`, or behind a trusted proxy the first X-Forwarded-Host. */
export function requestHost(
  header: HeaderReader,
  policy: Pick<OriginPolicy, "trustProxy">,
): string | undefined {
  const forwarded = policy.trustProxy ? first(header("x-forwarded-host")) : undefined;
  const host = forwarded ?? header("host");
  return host ? normalHost(host) : undefined;
}

/** The host name of `host[:port]` (IPv6 literals without brackets). */
function hostName(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  const colon = host.lastIndexOf(":");
  return colon > 0 && host.indexOf(":") === colon ? host.slice(0, colon) : host;
}

function isLoopbackName(name: string): boolean {
  return name === "localhost" || name.endsWith(".localhost");
}

/**
 * Whether a `Host` is one this server answers for. A DNS rebinding attack points a name the
 * attacker controls at this server, so its requests carry that name: only this machine's own
 * names (loopback, its host name), IP addresses (no attacker can serve a page from those) and the
 * configured public origins' hosts are accepted.
 */
export function isKnownHost(host: string, policy: OriginPolicy): boolean {
  const name = hostName(host);
  if (isLoopbackName(name) || isIP(name) !== 0) return true;
  if (policy.localNames?.some((local) => local.toLowerCase() === name)) return true;
  return policy.publicOrigins.some((origin) => {
    const url = new URL(origin);
    return normalHost(url.host) === host;
  });
}

/** 421 for a request addressed to a host this server does not answer for (see {@link isKnownHost}). */
export function checkHost(header: HeaderReader, policy: OriginPolicy): AppError | null {
  const host = requestHost(header, policy);
  if (host && isKnownHost(host, policy)) return null;
  return new AppError(
    "misdirected_request",
    host
      ? `This server does not answer for “${host.slice(0, 100)}”. Add its address to PUBLIC_ORIGINS to reach it by that name.`
      : "The request names no host.",
  );
}

/** Whether `origin` (an Origin header) is this site's: the addressed host, or a configured public origin. */
export function isOwnOrigin(origin: string, header: HeaderReader, policy: OriginPolicy): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin === "null") return false;
  if (policy.publicOrigins.includes(url.origin)) return true;
  const host = requestHost(header, policy);
  return host !== undefined && normalHost(url.host) === host;
}

/**
 * 403 `cross_site` for a state-changing request (or a WebSocket upgrade) that a page of another
 * site sent: `Sec-Fetch-Site: cross-site`, or an `Origin` that is not this site's (`same-site`
 * pages of a sibling origin included). Requests with neither header (curl, scripts, old
 * browsers' same-origin requests) pass; browsers always send `Origin` on such requests.
 */
export function checkCrossSite(
  method: string,
  header: HeaderReader,
  policy: OriginPolicy,
  options: { upgrade?: boolean } = {},
): AppError | null {
  if (!options.upgrade && !STATE_CHANGING_METHODS.has(method.toUpperCase())) return null;
  const site = header("sec-fetch-site")?.toLowerCase();
  const origin = header("origin");
  const refuse = () =>
    new AppError("cross_site", "This request came from another site's page, so it was refused.");
  if (site === "cross-site") return refuse();
  if (origin !== undefined) return isOwnOrigin(origin, header, policy) ? null : refuse();
  // A sibling origin of the same site that sent no Origin: not this site's page either.
  if (site === "same-site") return refuse();
  return null;
}
