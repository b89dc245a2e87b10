import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { SparklesIcon } from "@/components/ui/icons";

/** Placeholder for the summary column; summaries arrive in a later version. */
export function SummaryPane() {
  return (
    <Card aria-labelledby="summary-heading">
      <CardHeader title={<span id="summary-heading">Summary</span>} icon={<SparklesIcon />} />
      <div className="flex flex-col items-center gap-3 px-5 pb-6 pt-8 text-center">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">Summaries will appear here.</p>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">Coming in a later version.</p>
        <Button variant="secondary" size="sm" disabled className="mt-1">
          <SparklesIcon />
          Summarise
        </Button>
      </div>
    </Card>
  );
}
