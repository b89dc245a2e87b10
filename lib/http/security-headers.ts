/**
 * The headers every reply carries, pages and API alike: no framing by other sites, no MIME
 * sniffing, no referrer sent to other origins, the microphone for this site's own pages only.
 * `Referrer-Policy: same-origin` (rather than `no-referrer`) keeps the `Origin` of this site's
 * own form posts, which `no-referrer` turns into `null`.
 */
export const securityHeaders: Readonly<Record<string, string>> = Object.freeze({
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": "microphone=(self), camera=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
});

/**
 * The CSP of replies that are not pages (JSON, downloads, errors): nothing may load, nothing may
 * frame them; `media-src 'self'` lets the browser's own player show an audio file opened in a tab.
 */
export const apiContentSecurityPolicy =
  "default-src 'none'; media-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A `host[:port]` safe to put in a policy (anything else is left out). */
const policyHost = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * The CSP of a page: scripts only with this reply's nonce (Next.js puts it on its own scripts and
 * the scripts they load: `'strict-dynamic'`), no plugins, no framing, no `<base>`, forms and
 * connections to this site only (`ws(s)://` of the page's own host for live transcription), audio
 * from this site or `blob:` (recordings made in the page), the AudioWorklet from this site.
 * Development adds `'unsafe-eval'` (React's debugging aids need it).
 */
export function pageContentSecurityPolicy(options: { nonce: string; dev: boolean; host?: string }): string {
  const sockets =
    options.host && policyHost.test(options.host) ? ` ws://${options.host} wss://${options.host}` : "";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    `connect-src 'self'${sockets}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce for one page reply: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
