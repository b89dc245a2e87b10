import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const sourceFolders = ["app", "components", "lib", "public"];
const sourceFiles = ["next.config.ts", "tailwind.config.ts", "postcss.config.mjs", "package-lock.json"];

function newestSourceMtime(root: string): number {
  let newest = 0;
  const visit = (entry: string) => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  [...sourceFolders, ...sourceFiles].forEach((name) => visit(path.join(root, name)));
  return newest;
}

/** Runs `next build` when `.next` is missing or older than any source file. */
export function buildIfNeeded(root: string): void {
  const buildId = fs.statSync(path.join(root, ".next", "BUILD_ID"), { throwIfNoEntry: false });
  if (buildId && buildId.mtimeMs >= newestSourceMtime(root)) return;
  console.log(
    buildId ? "Sources changed since the last build: rebuilding…" : "No build yet: building the app (once)…",
  );
  const result = spawnSync(process.execPath, [require.resolve("next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    console.error("The build failed; see the output above.");
    process.exit(result.status ?? 1);
  }
}
