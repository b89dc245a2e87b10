// The model's gate: one task at a time, live finals before live partials before file windows, and
// file windows held back while a live session speaks, but never past their longest wait.
import { PriorityGate, type GatePriority } from "@/lib/speech/local/priority-gate";

beforeEach(() => {
  jest.useFakeTimers();
  jest.setSystemTime(0);
});
afterEach(() => jest.useRealTimers());

/** A task that runs until `finish` is called, noting when it started. */
function controlled(log: string[], name: string) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    task: async () => {
      log.push(`${name}@${Date.now()}`);
      await done;
    },
    finish: () => finish(),
  };
}

async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe("the model's priority gate", () => {
  const timing = { liveQuietMs: 700, fileMaxWaitMs: 4_000, now: () => Date.now() };

  it("runs one task at a time: waiting finals, then partials, then file windows", async () => {
    const gate = new PriorityGate({ ...timing, liveQuietMs: 0 });
    const log: string[] = [];
    const first = controlled(log, "file1");
    const runs: Array<Promise<void>> = [gate.run("file", first.task)];
    const tasks: Array<[GatePriority, string]> = [
      ["file", "file2"],
      ["partial", "partial"],
      ["final", "final"],
    ];
    const others = tasks.map(([priority, name]) => {
      const task = controlled(log, name);
      runs.push(gate.run(priority, task.task));
      return task;
    });
    await settle();
    expect(log).toEqual(["file1@0"]);
    first.finish();
    await settle();
    expect(log.map((entry) => entry.split("@")[0])).toEqual(["file1", "final"]);
    others[2]!.finish();
    await settle();
    expect(log.map((entry) => entry.split("@")[0])).toEqual(["file1", "final", "partial"]);
    others[1]!.finish();
    await settle();
    expect(log.map((entry) => entry.split("@")[0])).toEqual(["file1", "final", "partial", "file2"]);
    others[0]!.finish();
    await Promise.all(runs);
  });

  it("holds a file window back while a session speaks, until a quiet moment", async () => {
    const gate = new PriorityGate(timing);
    const log: string[] = [];
    await gate.run("partial", async () => void log.push(`partial@${Date.now()}`));
    const file = gate.run("file", async () => void log.push(`file@${Date.now()}`));
    await settle();
    expect(log).toEqual(["partial@0"]);
    jest.advanceTimersByTime(699);
    await settle();
    expect(log).toEqual(["partial@0"]);
    jest.advanceTimersByTime(1);
    await file;
    expect(log).toEqual(["partial@0", "file@700"]);
  });

  it("lets a file window through at its longest wait however busy live sessions are", async () => {
    const gate = new PriorityGate(timing);
    const log: string[] = [];
    let file: Promise<void> | null = null;
    // Partials every 300 ms without end, each taking 50 ms.
    for (let at = 0; at < 9_000; at += 300) {
      const partial = gate.run("partial", async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
      });
      if (at === 0) file = gate.run("file", async () => void log.push(`file@${Date.now()}`));
      if (at === 4_500) void gate.run("file", async () => void log.push(`file@${Date.now()}`));
      for (let step = 0; step < 30; step++) {
        // Ten milliseconds at a time, so that a task starts at the time it is let through.
        jest.advanceTimersByTime(10);
        await settle();
      }
      await partial;
    }
    await file;
    // Each window waited its longest wait (4 s from its request), give or take a partial.
    const starts = log.map((entry) => Number(entry.split("@")[1]));
    expect(starts).toHaveLength(2);
    expect(starts[0]).toBeGreaterThanOrEqual(4_000);
    expect(starts[0]).toBeLessThanOrEqual(4_010);
    expect(starts[1]).toBeGreaterThanOrEqual(8_500);
    expect(starts[1]).toBeLessThanOrEqual(8_510);
  });

  it("skips a partial when the model is taken and another live decode waits", async () => {
    const gate = new PriorityGate(timing);
    const log: string[] = [];
    const running = controlled(log, "final1");
    const first = gate.run("final", running.task);
    const waiting = gate.runPartial(async () => "partial1");
    // The model is taken and a partial waits: this one is skipped at once.
    await expect(gate.runPartial(async () => "partial2")).resolves.toBeNull();
    running.finish();
    await first;
    await expect(waiting).resolves.toBe("partial1");
    // A free model takes a partial.
    await expect(gate.runPartial(async () => "partial3")).resolves.toBe("partial3");
  });
});
