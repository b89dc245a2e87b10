/** Locales offered with Azure AI Speech: a common subset of what its real-time recognition supports. */
export const AZURE_SPEECH_LOCALES = [
  "en-US",
  "en-GB",
  "en-AU",
  "en-CA",
  "en-IN",
  "de-DE",
  "de-AT",
  "de-CH",
  "fr-FR",
  "fr-CA",
  "es-ES",
  "es-MX",
  "it-IT",
  "pt-BR",
  "pt-PT",
  "nl-NL",
  "sv-SE",
  "da-DK",
  "nb-NO",
  "fi-FI",
  "pl-PL",
  "cs-CZ",
  "hu-HU",
  "ro-RO",
  "el-GR",
  "tr-TR",
  "ru-RU",
  "uk-UA",
  "ar-SA",
  "he-IL",
  "hi-IN",
  "th-TH",
  "vi-VN",
  "id-ID",
  "ja-JP",
  "ko-KR",
  "zh-CN",
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
