import fs from "node:fs/promises";
import path from "node:path";
import { isAlive } from "./folder-lock";

/**
 * This process's scratch folder under the data folder (`tmp/<pid>`): processes sharing a data
 * folder never touch each other's temporary files.
 */
export function processTempDir(dataDir: string): string {
  return path.join(dataDir, "tmp", String(process.pid));
}

/**
 * Removes what processes that are gone left in `tmp/` (a crash mid-job leaves the upload's copy
 * and the decoded audio; their jobs start over from the stored recording). Returns how many
 * entries went. Folders of live processes, this one included, stay.
 */
export async function removeOrphanedTempFiles(dataDir: string): Promise<number> {
  const root = path.join(dataDir, "tmp");
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const entry of entries) {
    const pid = /^\d+$/.test(entry.name) ? Number(entry.name) : null;
    if (entry.isDirectory() && pid !== null && (pid === process.pid || isAlive(pid))) continue;
    await fs.rm(path.join(root, entry.name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
