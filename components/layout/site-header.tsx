"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useSharedHealth } from "@/components/shared/use-shared-health";
import { cn, focusRing } from "@/components/ui/cn";
import { LogoMark } from "@/components/ui/icons";
import { ServiceBanner } from "./service-banner";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";
import { useSession } from "./use-session";

interface NavLink {
  href: string;
  label: string;
  /** Other paths that belong to this section. */
  section: readonly string[];
}

const links: readonly NavLink[] = [
  { href: "/", label: "Transcribe", section: [] },
  // A transcript opened from the library belongs to the Recordings section.
  { href: "/recordings", label: "Recordings", section: ["/transcripts"] },
];

/** Only while the server keeps e-mail locally instead of sending it. */
const outboxLink: NavLink = { href: "/outbox", label: "Outbox", section: [] };

const headerRing = cn(focusRing, "focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950");

export function SiteHeader() {
  const pathname = usePathname();
  // Fetched once in the browser; the header renders without it and adds the link and any
  // service problems when known.
  const health = useSharedHealth();
  const session = useSession();
  // Signed out (sign-in on), the sections would only lead back to the sign-in page.
  const signedOut = session !== null && session.mode !== "none" && session.user === null;
  const shown = signedOut ? [] : health?.email?.outbox ? [...links, outboxLink] : links;
  return (
    <header className="sticky top-0 z-30 border-b border-zinc-200/80 bg-zinc-50/85 backdrop-blur-md dark:border-zinc-800/80 dark:bg-zinc-950/85">
      <a
        href="#main"
        className={cn(
          "sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-zinc-900 shadow focus:not-sr-only focus:absolute focus:left-4 focus:top-3 dark:bg-zinc-800 dark:text-zinc-50",
          headerRing,
        )}
      >
        Skip to content
      </a>
      <div className="mx-auto flex h-14 max-w-[1480px] items-center gap-4 px-4 sm:gap-8 sm:px-6">
        <Link href="/" className={cn("flex items-center gap-2.5 rounded-lg", headerRing)}>
          <LogoMark className="size-7" />
          <span className="sr-only text-[15px] font-semibold tracking-tight text-zinc-900 dark:text-white sm:not-sr-only">
            Transcribe
          </span>
        </Link>
        <nav aria-label="Main">
          <ul className="flex items-center gap-1">
            {shown.map((link) => {
              const active =
                link.href === "/"
                  ? pathname === "/"
                  : [link.href, ...link.section].some((prefix) => pathname.startsWith(prefix));
              return (
                <li key={link.href}>
                  <Link
                    href={link.href}
                    aria-current={active ? "page" : undefined}
                    className={cn(
                      "inline-flex h-8 items-center rounded-md px-3 text-sm font-medium transition-colors",
                      active
                        ? "bg-zinc-200/70 text-zinc-900 dark:bg-zinc-800 dark:text-white"
                        : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/70 dark:hover:text-white",
                      headerRing,
                    )}
                  >
                    {link.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-1 sm:gap-2">
          {session?.user ? <UserMenu session={session} className={headerRing} /> : null}
          <ThemeToggle />
        </div>
      </div>
      <ServiceBanner health={health} />
    </header>
  );
}
