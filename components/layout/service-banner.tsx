import type { HealthReport } from "@/lib/contract";
import { serviceProblems } from "@/lib/client/health";
import { AlertIcon } from "@/components/ui/icons";

export interface ServiceBannerProps {
  health: HealthReport | null;
}

/**
 * Names every configured service that cannot be used (not configured, or refused or unreachable at
 * start-up) and why, across the top of every page. Renders nothing when all is well.
 */
export function ServiceBanner({ health }: ServiceBannerProps) {
  const problems = health ? serviceProblems(health) : [];
  if (problems.length === 0) return null;
  const restart = problems.some((problem) => problem.misconfigured);
  return (
    <div
      role="alert"
      data-testid="service-banner"
      className="border-t border-amber-200 bg-amber-50 text-amber-950 dark:border-amber-500/30 dark:bg-amber-950/60 dark:text-amber-100"
    >
      <div className="mx-auto flex max-w-[1480px] items-start gap-3 px-4 py-2.5 sm:px-6">
        <AlertIcon className="mt-0.5 size-5 shrink-0 text-amber-600 dark:text-amber-400" />
        <div className="min-w-0 text-sm leading-relaxed">
          <ul className="space-y-0.5">
            {problems.map((problem) => (
              <li key={problem.service} data-service={problem.service} className="break-words">
                {problem.text}
              </li>
            ))}
          </ul>
          {restart ? (
            <p className="mt-1 text-[13px] text-amber-800 dark:text-amber-300">
              Settings are read when the server starts: fix them and restart it. Everything else works
              meanwhile.
            </p>
          ) : null}
        </div>
      </div>
    </div>
  );
}
