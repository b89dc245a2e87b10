import { maskEmail } from "@/lib/util/mask-email";

/** What replaces a value that must never reach the logs. */
export const REDACTED = "[redacted]";

/** Field names whose values are secrets: keys, passwords, tokens, cookies, connection strings. */
const secretName =
  /pass(word|wd|phrase)?$|secret|token|api[-_]?key|^key$|(account|access|subscription|private|signing|client)[-_]?key|authori[sz]ation|cookie|connection[-_]?string|credential|signature|^sig$|^sas$/i;

/** Field names whose values are what people said or wrote: transcript text, summaries, message bodies. */
const contentName =
  /^(text|transcript|transcripts|summary|segments?|body|html|content|partial|final|snippet|subject|words|title|prompt|messages?)$/i;

/** Field names holding e-mail addresses. */
const addressName = /^(to|from|cc|bcc|replyTo|reply-to|e-?mail|recipients?|address(es)?|user(name)?)$/i;

// Bounded parts (RFC 5321 lengths), so that a long run without "@" costs linear time.
const emailPattern = /[^\s<>"'(),;:@[\]/\\]{1,64}@[^\s<>"'(),;:@[\]/\\]{1,253}\.[A-Za-z]{2,24}/g;

/** Secrets inside free text: connection strings, query-string credentials, HTTP auth headers. */
const secretPatterns: Array<[RegExp, string]> = [
  // Azure Storage connection strings and SAS tokens.
  [/((?:AccountKey|SharedAccessSignature|SharedAccessKey|Password|Pwd)\s*=\s*)[^;\s"']+/gi, `$1${REDACTED}`],
  // Query-string credentials (`?sig=…`, `&api-key=…`, `code=`, `access_token=`).
  [
    /([?&;](?:sig|signature|key|api[-_]?key|subscription-key|code|token|access_token|id_token|password|secret|client_secret)=)[^&#\s"']+/gi,
    `$1${REDACTED}`,
  ],
  // HTTP authorisation and key headers quoted in errors.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`],
  [
    /\b((?:api-key|ocp-apim-subscription-key|x-api-key|authorization|cookie|set-cookie)\s*[:=]\s*)[^\s,;"']+/gi,
    `$1${REDACTED}`,
  ],
  // Credentials in URLs (`https://user:password@host`).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, `$1${REDACTED}@`],
];

const MAX_STRING = 2000;
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;

/** Free text made safe to log: secrets replaced, e-mail addresses masked, length capped. */
export function redactText(text: string): string {
  // Cut first (a little beyond the cap, so that a secret straddling it is still recognised).
  let result = text.length > MAX_STRING ? text.slice(0, MAX_STRING + 200) : text;
  for (const [pattern, replacement] of secretPatterns) result = result.replace(pattern, replacement);
  result = result.replace(emailPattern, (address) => maskEmail(address));
  if (text.length > MAX_STRING) result = `${result.slice(0, MAX_STRING)}… (${text.length} chars)`;
  return result;
}

/**
 * A log line's fields made safe to write: secrets and content (transcript text, summaries,
 * message bodies) by field name, e-mail addresses masked wherever they appear, errors reduced to
 * their name and message, and everything redacted by {@link redactText}.
 */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redactObject(fields, 0);
}

function redactObject(fields: Record<string, unknown>, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) result[name] = redactValue(name, value, depth);
  return result;
}

function redactValue(name: string, value: unknown, depth: number): unknown {
  if (value === undefined || value === null) return value;
  if (secretName.test(name)) return REDACTED;
  if (typeof value === "boolean" || typeof value === "number") return value;
  if (contentName.test(name)) {
    return typeof value === "string" ? `${REDACTED} (${value.length} chars)` : REDACTED;
  }
  if (typeof value === "string") {
    return addressName.test(name) && value.includes("@") ? maskEmail(value) : redactText(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return redactText(`${value.name}: ${value.message}`);
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return "[nested]";
  if (Array.isArray(value)) {
    return value.slice(0, MAX_ITEMS).map((item) => redactValue(name, item, depth + 1));
  }
  if (typeof value === "object") return redactObject(value as Record<string, unknown>, depth + 1);
  return redactText(String(value));
}
