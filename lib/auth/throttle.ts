/** When failed sign-ins lock a key, and for how long. */
export interface ThrottlePolicy {
  /** Failures a key may have before it is locked. */
  freeFailures: number;
  /** The first lock; each further failure doubles it. */
  baseLockMs: number;
  maxLockMs: number;
  /** A key's failures are forgotten after this long without one. */
  forgetAfterMs: number;
  /** Keys remembered at most (the oldest are dropped first). */
  maxKeys: number;
}

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

/** Failed sign-ins per key (a client address, a user name), with an exponential lockout. */
export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly policy: ThrottlePolicy) {}

  /** Seconds until `key` may try again; 0 when it is not locked. */
  retryAfterSec(key: string, now: number): number {
    const entry = this.current(key, now);
    return entry && entry.lockedUntil > now ? Math.ceil((entry.lockedUntil - now) / 1000) : 0;
  }

  /** Counts a failure against `key`; the `freeFailures`-th and every later one lock it, each twice as long. */
  fail(key: string, now: number): void {
    const entry = this.current(key, now) ?? { failures: 0, lockedUntil: 0, lastFailure: now };
    entry.failures += 1;
    entry.lastFailure = now;
    const over = entry.failures - this.policy.freeFailures;
    if (over >= 0) {
      entry.lockedUntil =
        now + Math.min(this.policy.baseLockMs * 2 ** Math.min(over, 30), this.policy.maxLockMs);
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.policy.maxKeys) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets the failures of `key` (after a successful sign-in). */
  clear(key: string): void {
    this.entries.delete(key);
  }

  private current(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.lastFailure > this.policy.forgetAfterMs && entry.lockedUntil <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
