import type { HealthReport } from "@/lib/contract";
import { StatusDot, type StatusTone } from "@/components/ui/status-dot";

export interface EngineStatusProps {
  health: HealthReport | null;
  unreachable: boolean;
}

function describe({ health, unreachable }: EngineStatusProps): {
  tone: StatusTone;
  pulse: boolean;
  text: string;
} {
  if (!health) {
    return unreachable
      ? { tone: "danger", pulse: false, text: "Server unreachable · retrying…" }
      : { tone: "neutral", pulse: true, text: "Checking speech engine…" };
  }
  const engine = health.engines.speech;
  if (!engine.configured) return { tone: "danger", pulse: false, text: `${engine.name} · not configured` };
  if (engine.ready) return { tone: "success", pulse: false, text: `${engine.name} · ready` };
  if (engine.error) return { tone: "danger", pulse: false, text: `${engine.name} · unavailable` };
  return { tone: "warning", pulse: true, text: `${engine.name} · loading…` };
}

export function EngineStatus(props: EngineStatusProps) {
  const { tone, pulse, text } = describe(props);
  const engine = props.health?.engines.speech;
  return (
    <div
      role="status"
      data-testid="engine-status"
      className="rounded-xl border border-zinc-200 bg-zinc-50 px-3 py-2.5 dark:border-zinc-800 dark:bg-zinc-950/40"
    >
      <p className="text-[11px] font-medium uppercase tracking-wider text-zinc-600 dark:text-zinc-400">
        Speech engine
      </p>
      <p className="mt-1 flex items-center gap-2 text-sm font-medium text-zinc-900 dark:text-zinc-100">
        <StatusDot tone={tone} pulse={pulse} />
        <span className="min-w-0 break-words">{text}</span>
      </p>
      {engine?.error && !engine.ready ? (
        <p className="mt-1.5 text-xs leading-snug text-rose-700 dark:text-rose-300">{engine.error}</p>
      ) : null}
      {props.health && !props.health.storage.ready && engine?.ready ? (
        <p className="mt-1.5 text-xs leading-snug text-amber-800 dark:text-amber-300">
          Storage does not answer; saving may be affected.
        </p>
      ) : null}
    </div>
  );
}
