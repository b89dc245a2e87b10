import { MULTILINGUAL_LOCALES } from "@/lib/speech/locales";

/**
 * Locales offered with Azure AI Speech: the common multilingual set and regional variants its
 * real-time recognition supports.
 */
export const AZURE_SPEECH_LOCALES = [
  ...MULTILINGUAL_LOCALES,
  "en-AU",
  "en-CA",
  "en-IN",
  "de-AT",
  "de-CH",
  "fr-CA",
  "es-MX",
  "zh-TW",
  "zh-HK",
] as const;

/** What to ask the service for: one locale, or detection among candidates. */
export type LanguageChoice = { locale: string } | { candidates: string[] };

/**
 * Turns a requested language into a choice: `auto` detects among `autoLanguages` (one candidate
 * is simply that locale); a bare language (`de`) becomes its first listed locale (`de-DE`).
 */
export function chooseLanguage(requested: string, autoLanguages: string[]): LanguageChoice {
  if (requested === "auto") {
    const [only, ...others] = autoLanguages;
    if (only === undefined) return { locale: "en-US" };
    return others.length === 0 ? { locale: only } : { candidates: autoLanguages };
  }
  if (requested.includes("-")) return { locale: requested };
  const base = requested.toLowerCase();
  const known = AZURE_SPEECH_LOCALES.find((locale) => locale.split("-")[0] === base);
  return { locale: known ?? requested };
}
