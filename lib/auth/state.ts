// What sign-in remembers in this process: failed attempts and ended sessions, shared by every copy
// of the auth modules (Next loads one per route bundle, server.ts another).
import { SignInThrottle, type ThrottlePolicy } from "./throttle";

/** Sessions ended by signing out, until they would have expired anyway (this process only). */
export class RevokedSessions {
  private readonly ended = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  revoke(token: string, expSec: number, nowSec: number): void {
    for (const [key, exp] of this.ended) if (exp <= nowSec) this.ended.delete(key);
    this.ended.set(token, expSec);
    while (this.ended.size > this.maxEntries) this.ended.delete(this.ended.keys().next().value!);
  }

  has(token: string): boolean {
    return this.ended.has(token);
  }
}

/** What sign-in remembers in this process. */
export interface AuthState {
  /** Failed sign-ins per user name. */
  users: SignInThrottle;
  /** Failed sign-ins per client address (more allowed: people may share an address). */
  clients: SignInThrottle;
  revoked: RevokedSessions;
}

/** 5 failures per user name, 10 per client address; then 1 min, doubling up to 1 h. */
const policy = (freeFailures: number): ThrottlePolicy => ({
  freeFailures,
  baseLockMs: 60_000,
  maxLockMs: 60 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
  maxKeys: 50_000,
});

const stateKey = Symbol.for("transcribe.auth-state");
type Holder = { [stateKey]?: AuthState };

/**
 * The process's sign-in state. Kept on globalThis: Next loads a copy of this module per route
 * bundle, and server.ts one more, and all of them must see the same throttle and sign-outs.
 */
export function authState(): AuthState {
  const holder = globalThis as Holder;
  holder[stateKey] ??= {
    users: new SignInThrottle(policy(5)),
    clients: new SignInThrottle(policy(10)),
    revoked: new RevokedSessions(),
  };
  return holder[stateKey];
}

/** Forgets failed attempts and sign-outs (tests). */
export function resetAuthState(): void {
  delete (globalThis as Holder)[stateKey];
}
