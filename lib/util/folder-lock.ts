import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** A folder held by this process; `release` gives it back (idempotent). */
export interface FolderLock {
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  /** When that process started (Linux), so that a reused process id is not taken for it. */
  processStart?: string | null;
  host: string;
  startedAt: string;
  purpose: string;
}

/** Another live process holds the folder: this one must not start on it. */
export class FolderInUseError extends Error {
  override name = "FolderInUseError";
}

/** The name of the lock file a held folder contains. */
export const LOCK_FILE = ".in-use.json";

/**
 * Claims `folder` for this process, so that a second server started on the same data never
 * corrupts it: rejects, naming the folder and the process that holds it, when another live
 * process on this machine has it. A lock left by a process that died is taken over.
 */
export async function lockFolder(folder: string, purpose: string): Promise<FolderLock> {
  await fs.mkdir(folder, { recursive: true });
  const file = path.join(folder, LOCK_FILE);
  const mine: Holder = {
    pid: process.pid,
    processStart: await readProcessStart(process.pid),
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    purpose,
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, JSON.stringify(mine), { flag: "wx" });
      return releaser(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readHolder(file);
    if (
      holder &&
      holder.pid !== process.pid &&
      holder.host === os.hostname() &&
      (await isHolderAlive(holder))
    ) {
      throw new FolderInUseError(
        `${folder} is in use by another process (pid ${holder.pid}, ${holder.purpose}, since ${holder.startedAt}). ` +
          "Stop that process or give this one another DATA_DIR; to run several workers, share Azure Storage instead.",
      );
    }
    // Left by a process that is gone (or by this one): take it over.
    await fs.rm(file, { force: true });
  }
  throw new Error(`Could not claim ${folder}: its lock file keeps changing.`);
}

function releaser(file: string): FolderLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      const holder = await readHolder(file);
      if (holder?.pid === process.pid) await fs.rm(file, { force: true });
    },
  };
}

async function readHolder(file: string): Promise<Holder | null> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as Holder;
  } catch {
    return null;
  }
}

/** True when the process that wrote the lock still runs (not merely a process with its id). */
async function isHolderAlive(holder: Holder): Promise<boolean> {
  if (!isAlive(holder.pid)) return false;
  if (!holder.processStart) return true;
  return (await readProcessStart(holder.pid)) === holder.processStart;
}

/** A process's start time in clock ticks since boot (`/proc/<pid>/stat`), or null off Linux. */
async function readProcessStart(pid: number): Promise<string | null> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8");
    // The fields after the command name (which may hold spaces) start after its last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** True when a process with this id exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
