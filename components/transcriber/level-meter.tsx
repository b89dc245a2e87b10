import { cn } from "@/components/ui/cn";

const SEGMENTS = 28;

function segmentColour(index: number): string {
  const position = index / SEGMENTS;
  if (position >= 0.9) return "bg-rose-500";
  if (position >= 0.72) return "bg-amber-400";
  return "bg-emerald-500";
}

export interface LevelMeterProps {
  /** Input level 0..1 (dBFS mapped linearly from -60 dB). */
  level: number;
  active: boolean;
  /** Accessible name; "Microphone input level" unless given. */
  label?: string;
  testId?: string;
}

export function LevelMeter({
  level,
  active,
  label = "Microphone input level",
  testId = "level-meter",
}: LevelMeterProps) {
  const rounded = Math.round(level * 1000) / 1000;
  const lit = Math.round(rounded * SEGMENTS);
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(rounded * 100)}
      data-testid={testId}
      data-level={String(rounded)}
      className={cn("flex h-3 w-full items-stretch gap-[3px]", !active && "opacity-60")}
    >
      {Array.from({ length: SEGMENTS }, (_, index) => (
        <span
          key={index}
          className={cn(
            "flex-1 rounded-[2px] transition-colors duration-75",
            index < lit ? segmentColour(index) : "bg-zinc-200 dark:bg-zinc-700/70",
          )}
        />
      ))}
    </div>
  );
}
