"use client";

import { useState } from "react";
import { signOut } from "@/lib/client/auth";
import { holdSignInRedirect } from "@/lib/client/request";
import type { SessionResponse } from "@/lib/contract";
import { cn } from "@/components/ui/cn";
import { SignOutIcon, SpinnerIcon, UserIcon } from "@/components/ui/icons";

const itemStyles =
  "inline-flex h-9 items-center gap-1.5 rounded-lg px-2.5 text-sm font-medium text-zinc-600 transition-colors hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white [&_svg]:size-4";

/** Who is signed in, and a Sign out button (Entra: the platform's sign-out page). */
export function UserMenu({ session, className }: { session: SessionResponse; className?: string }) {
  const [busy, setBusy] = useState(false);
  if (!session.user) return null;

  async function leave() {
    setBusy(true);
    // Requests still under way answer 401 once the session ends: they must not send the page
    // to the sign-in page with a way back here.
    holdSignInRedirect();
    try {
      await signOut();
    } finally {
      // Whatever the answer, a full load from the sign-in page: nothing of this user's stays in memory.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign("/sign-in");
    }
  }

  return (
    <div className="flex items-center gap-1">
      <span
        data-testid="signed-in-user"
        title={`Signed in as ${session.user.name}`}
        className="hidden max-w-[16rem] items-center gap-1.5 truncate px-1 text-sm text-zinc-700 dark:text-zinc-300 sm:inline-flex"
      >
        <UserIcon className="size-4 shrink-0 text-zinc-500 dark:text-zinc-400" />
        <span className="sr-only">Signed in as </span>
        <span className="truncate">{session.user.name}</span>
      </span>
      {session.signOutUrl ? (
        <a href={session.signOutUrl} className={cn(itemStyles, className)}>
          <SignOutIcon />
          Sign out
        </a>
      ) : (
        <button
          type="button"
          data-testid="sign-out"
          onClick={() => void leave()}
          aria-disabled={busy || undefined}
          className={cn(itemStyles, className, busy && "cursor-progress opacity-80")}
        >
          {busy ? <SpinnerIcon /> : <SignOutIcon />}
          Sign out
        </button>
      )}
    </div>
  );
}
