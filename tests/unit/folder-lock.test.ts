import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FolderInUseError, LOCK_FILE, lockFolder } from "@/lib/util/folder-lock";
import { processTempDir, removeOrphanedTempFiles } from "@/lib/util/temp-dir";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "folder-lock-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `lockFolder(folder)` in another process; resolves with what it printed and its exit code. */
function lockFromAnotherProcess(folder: string): { out: string; status: number | null } {
  const script = `
    import { lockFolder } from ${JSON.stringify(path.join(process.cwd(), "lib/util/folder-lock.ts"))};
    lockFolder(${JSON.stringify(folder)}, "test").then(
      () => { console.log("locked"); process.exit(0); },
      (error) => { console.log(error.name + ": " + error.message); process.exit(3); },
    );`;
  const file = path.join(dir, "child.mts");
  fs.writeFileSync(file, script);
  const result = spawnSync(process.execPath, ["--import", "tsx", file], {
    encoding: "utf8",
    cwd: process.cwd(),
  });
  return { out: result.stdout.trim(), status: result.status };
}

/** The id of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

describe("lockFolder", () => {
  it("keeps a second process off a folder in use, naming the folder and the holder", async () => {
    const folder = path.join(dir, "azurite");
    const lock = await lockFolder(folder, "embedded Azurite");
    const other = lockFromAnotherProcess(folder);
    expect(other.status).toBe(3);
    expect(other.out).toContain("FolderInUseError");
    expect(other.out).toContain(folder);
    expect(other.out).toContain(`pid ${process.pid}`);
    await lock.release();
    expect(fs.existsSync(path.join(folder, LOCK_FILE))).toBe(false);
    expect(lockFromAnotherProcess(folder)).toEqual({ out: "locked", status: 0 });
  });

  it("takes over a lock left by a process that died", async () => {
    const folder = path.join(dir, "azurite");
    fs.mkdirSync(folder);
    const gone = await deadPid();
    fs.writeFileSync(
      path.join(folder, LOCK_FILE),
      JSON.stringify({ pid: gone, host: os.hostname(), startedAt: "2026-01-01T00:00:00Z", purpose: "x" }),
    );
    const lock = await lockFolder(folder, "embedded Azurite");
    expect(JSON.parse(fs.readFileSync(path.join(folder, LOCK_FILE), "utf8"))).toMatchObject({
      pid: process.pid,
    });
    await lock.release();
  });

  it("takes over a lock whose process id now belongs to another process (a restarted container)", async () => {
    const folder = path.join(dir, "azurite");
    fs.mkdirSync(folder);
    // A live process (the test runner's parent) with a start time that is not the one recorded.
    fs.writeFileSync(
      path.join(folder, LOCK_FILE),
      JSON.stringify({
        pid: process.ppid,
        processStart: "1",
        host: os.hostname(),
        startedAt: "2026-01-01T00:00:00Z",
        purpose: "x",
      }),
    );
    const lock = await lockFolder(folder, "embedded Azurite");
    expect(JSON.parse(fs.readFileSync(path.join(folder, LOCK_FILE), "utf8"))).toMatchObject({
      pid: process.pid,
    });
    await lock.release();
  });

  it("lets the process that holds a folder open it again", async () => {
    const first = await lockFolder(dir, "a");
    const second = await lockFolder(dir, "b");
    await second.release();
    await first.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it("is a FolderInUseError that says what to do", () => {
    const error = new FolderInUseError("x");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("FolderInUseError");
  });
});

describe("temporary files", () => {
  it("keep each process in its own folder, and a restart removes only what dead processes left", async () => {
    const mine = processTempDir(dir);
    expect(mine).toBe(path.join(dir, "tmp", String(process.pid)));
    const gone = path.join(dir, "tmp", String(await deadPid()));
    for (const folder of [mine, gone]) fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(mine, "job.source"), "x");
    fs.writeFileSync(path.join(gone, "job.source"), "x");
    fs.writeFileSync(path.join(gone, "job.pcm"), "x");
    fs.writeFileSync(path.join(dir, "tmp", "old-layout.source"), "x");
    expect(await removeOrphanedTempFiles(dir)).toBe(2);
    expect(fs.readdirSync(path.join(dir, "tmp"))).toEqual([String(process.pid)]);
    expect(fs.readdirSync(mine)).toEqual(["job.source"]);
    expect(await removeOrphanedTempFiles(path.join(dir, "nowhere"))).toBe(0);
  });
});
