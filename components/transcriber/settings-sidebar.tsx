import { MAX_SPEAKERS, type HealthReport } from "@/lib/contract";
import type { LanguageOption } from "@/components/shared/languages";
import { Card, CardHeader } from "@/components/ui/card";
import { cn, focusRing } from "@/components/ui/cn";
import { SettingsIcon } from "@/components/ui/icons";
import { Kbd } from "@/components/ui/kbd";
import { Select } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { EngineStatus } from "./engine-status";
import { parseSpeakerCount } from "./speaker-count";

export interface SettingsSidebarProps {
  health: HealthReport | null;
  unreachable: boolean;
  language: string;
  languageOptions: LanguageOption[];
  onLanguageChange: (language: string) => void;
  diarize: boolean;
  onDiarizeChange: (diarize: boolean) => void;
  /** The "Number of speakers" field as typed (blank: detect automatically). */
  speakers: string;
  onSpeakersChange: (speakers: string) => void;
  /** Settings are locked while a transcription is running. */
  disabled: boolean;
}

export function SettingsSidebar({
  health,
  unreachable,
  language,
  languageOptions,
  onLanguageChange,
  diarize,
  onDiarizeChange,
  speakers,
  onSpeakersChange,
  disabled,
}: SettingsSidebarProps) {
  const engine = health?.engines.speech;
  // An engine that is not configured says so in its status; its languages are not known.
  const englishOnly = engine ? engine.configured && !engine.multilingual : false;
  const canDiarize = engine?.diarization === true;
  const speakerCountInvalid = canDiarize && parseSpeakerCount(speakers) === "invalid";

  return (
    <Card aria-labelledby="settings-heading">
      <CardHeader title={<span id="settings-heading">Settings</span>} icon={<SettingsIcon />} />
      <div className="flex flex-col gap-6 px-5 pb-5 pt-4">
        <EngineStatus health={health} unreachable={unreachable} />

        <div>
          <label htmlFor="language" className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
            Language
          </label>
          <div className="mt-2">
            <Select
              id="language"
              value={language}
              onChange={(event) => onLanguageChange(event.target.value)}
              disabled={disabled}
              aria-describedby={englishOnly ? "language-note" : undefined}
            >
              {languageOptions.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
          </div>
          {englishOnly ? (
            <p id="language-note" className="mt-2 text-[13px] leading-snug text-zinc-600 dark:text-zinc-400">
              The local engine understands English only. Other languages become available when a multilingual
              engine (e.g. Azure Speech) is configured.
            </p>
          ) : null}
        </div>

        <Switch
          id="diarize"
          label="Identify speakers"
          checked={diarize}
          onCheckedChange={onDiarizeChange}
          disabled={disabled || !canDiarize}
          description={
            canDiarize
              ? "Label who is speaking in each segment."
              : engine && !engine.configured
                ? "Not available while the speech engine is not configured"
                : engine
                  ? "Not supported by the current engine"
                  : "Checking the engine…"
          }
        />

        <div>
          <div className="flex items-center justify-between gap-4">
            <label
              htmlFor="speakers"
              className={cn(
                "text-sm font-medium text-zinc-900 dark:text-zinc-100",
                disabled || !canDiarize ? "cursor-not-allowed" : undefined,
              )}
            >
              Number of speakers
            </label>
            <input
              id="speakers"
              name="speakers"
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_SPEAKERS}
              step={1}
              placeholder="Auto"
              value={speakers}
              onChange={(event) => onSpeakersChange(event.target.value)}
              disabled={disabled || !canDiarize}
              aria-invalid={speakerCountInvalid || undefined}
              aria-describedby="speakers-description"
              className={cn(
                "h-9 w-20 rounded-lg border bg-white px-3 text-right text-sm tabular-nums text-zinc-900 shadow-sm transition-colors placeholder:text-zinc-500 hover:border-zinc-400 disabled:cursor-not-allowed disabled:opacity-60 dark:bg-zinc-800 dark:text-zinc-100 dark:placeholder:text-zinc-400 dark:hover:border-zinc-600",
                speakerCountInvalid
                  ? "border-rose-500 dark:border-rose-400"
                  : "border-zinc-300 dark:border-zinc-700",
                focusRing,
              )}
            />
          </div>
          <p
            id="speakers-description"
            className={cn(
              "mt-1.5 text-[13px] leading-snug",
              speakerCountInvalid ? "text-rose-700 dark:text-rose-300" : "text-zinc-600 dark:text-zinc-400",
            )}
          >
            {speakerCountInvalid
              ? `Enter a whole number from 1 to ${MAX_SPEAKERS}, or leave it blank.`
              : !canDiarize
                ? "Available when the engine can identify speakers."
                : !diarize && speakers.trim() !== ""
                  ? "Used when “Identify speakers” is on."
                  : "Optional. Leave blank to detect automatically."}
          </p>
        </div>

        <div className="border-t border-zinc-200 pt-5 dark:border-zinc-800">
          <h3 className="text-[11px] font-medium uppercase tracking-wider text-zinc-600 dark:text-zinc-400">
            Shortcuts
          </h3>
          <dl className="mt-3 space-y-2 text-[13px] text-zinc-700 dark:text-zinc-300">
            <div className="flex items-center justify-between gap-3">
              <dt>Start or stop recording</dt>
              <dd>
                <Kbd>R</Kbd>
              </dd>
            </div>
            <div className="flex items-center justify-between gap-3">
              <dt>Upload files</dt>
              <dd className="text-zinc-600 dark:text-zinc-400">Drop anywhere</dd>
            </div>
          </dl>
        </div>
      </div>
    </Card>
  );
}
