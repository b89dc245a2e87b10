"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useSearchParams } from "next/navigation";
import { fetchSession, signIn } from "@/lib/client/auth";
import { ApiRequestError, messageOf } from "@/lib/client/request";
import { safeNextPath, type SessionResponse } from "@/lib/contract";
import { Alert } from "@/components/ui/alert";
import { Button, buttonStyles } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn, focusRing } from "@/components/ui/cn";
import { LockIcon, SpinnerIcon } from "@/components/ui/icons";

const fieldStyles = cn(
  "mt-1.5 block h-10 w-full rounded-lg border border-zinc-300 bg-white px-3 text-[15px] text-zinc-900 shadow-sm placeholder:text-zinc-500 hover:border-zinc-400 read-only:opacity-70 dark:border-zinc-700 dark:bg-zinc-950/50 dark:text-zinc-100 dark:placeholder:text-zinc-400 dark:hover:border-zinc-600",
  focusRing,
  "dark:focus-visible:ring-offset-zinc-900",
);

/** The sign-in page's content: a password form, or what to do in the other modes. */
export function SignIn() {
  const next = safeNextPath(useSearchParams().get("next"));
  const [session, setSession] = useState<SessionResponse | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    fetchSession().then(setSession, () => setFailed(true));
  }, []);

  return (
    <main id="main" className="mx-auto flex max-w-md flex-col px-4 py-12 sm:py-20">
      <Card className="p-6 sm:p-8">
        <span className="grid size-11 place-items-center rounded-full bg-indigo-50 text-indigo-600 dark:bg-indigo-500/10 dark:text-indigo-300">
          <LockIcon className="size-5" />
        </span>
        <h1 className="mt-4 text-xl font-semibold tracking-tight text-zinc-900 dark:text-white">
          Sign in to Transcribe
        </h1>
        {failed ? (
          <Alert title="The server did not answer" className="mt-5">
            Reload the page in a moment.
          </Alert>
        ) : !session ? (
          <p role="status" className="mt-3 flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
            <SpinnerIcon className="size-4" /> Loading…
          </p>
        ) : session.user ? (
          <OtherMode text={`You are signed in as ${session.user.name}.`} href={next} label="Continue" />
        ) : session.mode === "password" ? (
          <PasswordForm next={next} />
        ) : session.mode === "entra" ? (
          <OtherMode
            text="This server signs you in with your organisation’s Microsoft account."
            href={`/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(next)}`}
            label="Sign in with Microsoft"
          />
        ) : (
          <OtherMode
            text="Sign-in is off on this server: everyone who reaches it uses the same library."
            href={next}
            label="Continue"
          />
        )}
      </Card>
    </main>
  );
}

function OtherMode({ text, href, label }: { text: string; href: string; label: string }) {
  return (
    <>
      <p className="mt-2 text-sm leading-relaxed text-zinc-600 dark:text-zinc-400">{text}</p>
      <a
        href={href}
        className={buttonStyles({
          variant: "primary",
          size: "lg",
          className: "mt-6 w-full dark:focus-visible:ring-offset-zinc-900",
        })}
      >
        {label}
      </a>
    </>
  );
}

function PasswordForm({ next }: { next: string }) {
  const userId = useId();
  const passwordId = useId();
  const errorId = useId();
  const userRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; text: string } | null>(null);

  useEffect(() => userRef.current?.focus(), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!username.trim()) {
      setError({ title: "Enter your user name", text: "Both fields are needed to sign in." });
      userRef.current?.focus();
      return;
    }
    if (!password) {
      setError({ title: "Enter your password", text: "Both fields are needed to sign in." });
      passwordRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
      // A full load, so that every part of the page starts with the new session.
      window.location.assign(next);
    } catch (failure) {
      setBusy(false);
      setPassword("");
      const locked = failure instanceof ApiRequestError && failure.status === 429;
      setError({
        title: locked ? "Too many attempts" : "Not signed in",
        text: messageOf(failure, "Signing in failed. Try again in a moment."),
      });
      passwordRef.current?.focus();
    }
  }

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="mt-2">
      <p className="text-sm leading-relaxed text-zinc-600 dark:text-zinc-400">
        Your recordings and transcripts are private to your account.
      </p>
      <div className="mt-6">
        <label htmlFor={userId} className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
          User name
        </label>
        <input
          ref={userRef}
          id={userId}
          name="username"
          data-testid="sign-in-username"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          required
          maxLength={64}
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          readOnly={busy}
          className={fieldStyles}
        />
      </div>
      <div className="mt-4">
        <label htmlFor={passwordId} className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
          Password
        </label>
        <input
          ref={passwordRef}
          id={passwordId}
          name="password"
          type="password"
          data-testid="sign-in-password"
          autoComplete="current-password"
          aria-describedby={error ? errorId : undefined}
          required
          maxLength={1024}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          readOnly={busy}
          className={fieldStyles}
        />
      </div>
      {error ? (
        <div id={errorId} className="mt-5">
          <Alert title={error.title} testId="sign-in-error">
            {error.text}
          </Alert>
        </div>
      ) : null}
      <Button
        type="submit"
        variant="primary"
        size="lg"
        data-testid="sign-in-submit"
        aria-disabled={busy || undefined}
        className={cn(
          "mt-6 w-full dark:focus-visible:ring-offset-zinc-900",
          busy && "cursor-progress opacity-80",
        )}
      >
        {busy ? <SpinnerIcon /> : null}
        {busy ? "Signing in…" : "Sign in"}
      </Button>
      <span role="status" className="sr-only">
        {busy ? "Signing in…" : ""}
      </span>
    </form>
  );
}
