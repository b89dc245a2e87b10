/** Whisper's names of common languages (what `verbose_json` answers) and their ISO 639-1 codes. */
const LANGUAGE_CODES: Record<string, string> = {
  english: "en",
  german: "de",
  french: "fr",
  spanish: "es",
  italian: "it",
  portuguese: "pt",
  dutch: "nl",
  swedish: "sv",
  danish: "da",
  norwegian: "no",
  nynorsk: "nn",
  finnish: "fi",
  polish: "pl",
  czech: "cs",
  slovak: "sk",
  hungarian: "hu",
  romanian: "ro",
  greek: "el",
  turkish: "tr",
  russian: "ru",
  ukrainian: "uk",
  arabic: "ar",
  hebrew: "he",
  hindi: "hi",
  thai: "th",
  vietnamese: "vi",
  indonesian: "id",
  japanese: "ja",
  korean: "ko",
  chinese: "zh",
  catalan: "ca",
  croatian: "hr",
  serbian: "sr",
  bulgarian: "bg",
};

/** The language part of a locale as the service takes it (`en-US` → `en`); none for `auto`. */
export function requestLanguage(locale: string): string | undefined {
  if (!locale || locale === "auto") return undefined;
  return locale.split(/[-_]/)[0]!.toLowerCase();
}

/**
 * The ISO 639-1 code of the language a service reports (a Whisper name such as `english`, or
 * already a code); the requested language when the answer says nothing usable.
 */
export function reportedLanguage(answer: string | undefined, requested: string | undefined): string {
  const value = answer?.trim().toLowerCase() ?? "";
  if (/^[a-z]{2}$/.test(value)) return value;
  return LANGUAGE_CODES[value] ?? requested ?? (value || "auto");
}
