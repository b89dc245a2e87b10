import type { SpeechEngineHealth } from "@/lib/contract";

export const AUTO_LANGUAGE = "auto";

export const COMMON_LOCALES = [
  "en-US",
  "en-GB",
  "de-DE",
  "fr-FR",
  "es-ES",
  "it-IT",
  "pt-BR",
  "nl-NL",
  "ja-JP",
  "zh-CN",
] as const;

// Fixed names keep server and client markup identical (Intl output differs between runtimes).
const NAMES: Record<string, string> = {
  auto: "Auto-detect",
  "en-US": "English (United States)",
  "en-GB": "English (United Kingdom)",
  "de-DE": "German (Germany)",
  "fr-FR": "French (France)",
  "es-ES": "Spanish (Spain)",
  "it-IT": "Italian (Italy)",
  "pt-BR": "Portuguese (Brazil)",
  "nl-NL": "Dutch (Netherlands)",
  "ja-JP": "Japanese (Japan)",
  "zh-CN": "Chinese (Simplified)",
  en: "English",
  de: "German",
  fr: "French",
  es: "Spanish",
  it: "Italian",
  pt: "Portuguese",
  nl: "Dutch",
  ja: "Japanese",
  zh: "Chinese",
};

export function languageName(code: string): string {
  const known = NAMES[code];
  if (known) return known;
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

export interface LanguageOption {
  value: string;
  label: string;
}

const FALLBACK_LANGUAGE = "en-US";

/** The choices the current engine can honour; the first entry is the default. */
export function languageOptions(engine: SpeechEngineHealth | null): LanguageOption[] {
  if (!engine) return [{ value: FALLBACK_LANGUAGE, label: languageName(FALLBACK_LANGUAGE) }];
  if (!engine.multilingual) {
    const codes = engine.languages.length > 0 ? engine.languages : [FALLBACK_LANGUAGE];
    return codes.map((code) => ({ value: code, label: languageName(code) }));
  }
  const codes = [...new Set<string>([...COMMON_LOCALES, ...engine.languages])].filter(
    (code) => code !== AUTO_LANGUAGE,
  );
  return [
    { value: AUTO_LANGUAGE, label: languageName(AUTO_LANGUAGE) },
    ...codes.map((code) => ({ value: code, label: languageName(code) })),
  ];
}
