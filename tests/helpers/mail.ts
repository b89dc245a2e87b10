// Helpers for reading e-mail the app produced: address fields and HTML bodies as text.
import type { AddressObject } from "mailparser";

/** The plain addresses of a parsed To/From/Cc field. */
export function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((object) => object.value.map((entry) => entry.address ?? ""));
}

/** What a reader sees of an HTML body: tags dropped, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|title)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&(lt|gt|quot|apos|nbsp|amp);/g, (_, name: string) => {
      const named: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", amp: "&" };
      return named[name]!;
    })
    .replace(/\s+/g, " ")
    .trim();
}

/** Collapses whitespace so texts can be compared across line wrapping. */
export function squash(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
