/** A caller as Azure Container Apps built-in authentication (Easy Auth) describes it. */
export interface EntraPrincipal {
  /** The user's object id (`X-MS-CLIENT-PRINCIPAL-ID`). */
  id: string;
  /** The user's name, usually the sign-in address (`X-MS-CLIENT-PRINCIPAL-NAME`). */
  name: string;
  /** The tenant id (`tid` claim of `X-MS-CLIENT-PRINCIPAL`), when present. */
  tenantId: string | null;
}

/** Reads one request header (lower-case name). */
export type HeaderReader = (name: string) => string | null | undefined;

const TENANT_CLAIMS = new Set(["tid", "http://schemas.microsoft.com/identity/claims/tenantid"]);

function tenantOf(encoded: string | null | undefined): string | null {
  if (!encoded || encoded.length > 64 * 1024) return null;
  try {
    const principal = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as {
      claims?: Array<{ typ?: unknown; val?: unknown }>;
    };
    const claim = principal.claims?.find(
      (item) => typeof item.typ === "string" && TENANT_CLAIMS.has(item.typ),
    );
    return typeof claim?.val === "string" && claim.val ? claim.val.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * The principal the platform's authentication put on the request, or null without one. Only call
 * this when that authentication is known to be in front of the app (`AUTH_MODE=entra`): anyone can
 * send these headers to a server that is reached directly.
 */
export function readEntraPrincipal(header: HeaderReader): EntraPrincipal | null {
  const id = header("x-ms-client-principal-id")?.trim();
  if (!id || id.length > 256) return null;
  const name = header("x-ms-client-principal-name")?.trim().slice(0, 256) || id;
  return { id, name, tenantId: tenantOf(header("x-ms-client-principal")) };
}

/**
 * Whether the allow-lists let `principal` in: its tenant among `tenants` (when any are listed) and
 * its object id or name among `users` (when any are listed).
 */
export function entraAllows(
  principal: EntraPrincipal,
  allow: { tenants: readonly string[]; users: readonly string[] },
): boolean {
  const tenantOk =
    allow.tenants.length === 0 || (principal.tenantId !== null && allow.tenants.includes(principal.tenantId));
  const userOk =
    allow.users.length === 0 ||
    allow.users.includes(principal.id.toLowerCase()) ||
    allow.users.includes(principal.name.toLowerCase());
  return tenantOk && userOk;
}
