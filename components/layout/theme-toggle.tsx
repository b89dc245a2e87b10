"use client";

import { useEffect, useLayoutEffect } from "react";
import { cn, focusRing } from "@/components/ui/cn";
import { MoonIcon, SunIcon } from "@/components/ui/icons";
import { THEME_STORAGE_KEY } from "./theme-script";

const darkQuery = "(prefers-color-scheme: dark)";

function storedTheme(): "light" | "dark" | null {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null;
  }
}

function applyTheme(dark: boolean) {
  const root = document.documentElement;
  root.classList.toggle("dark", dark);
  root.style.colorScheme = dark ? "dark" : "light";
}

/**
 * Switches between light and dark and remembers the choice. The icon and label are driven by
 * the `dark` class via CSS, so server and client markup always match.
 */
export function ThemeToggle() {
  // React resets <html> attributes on the development remount; re-apply before paint.
  useLayoutEffect(() => {
    const stored = storedTheme();
    applyTheme(stored ? stored === "dark" : window.matchMedia(darkQuery).matches);
  }, []);

  useEffect(() => {
    const media = window.matchMedia(darkQuery);
    const onChange = () => {
      if (!storedTheme()) applyTheme(media.matches);
    };
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, []);

  function toggle() {
    const dark = !document.documentElement.classList.contains("dark");
    try {
      localStorage.setItem(THEME_STORAGE_KEY, dark ? "dark" : "light");
    } catch {
      // Storage can be unavailable (private mode); the switch still applies to this page.
    }
    applyTheme(dark);
  }

  return (
    <button
      type="button"
      onClick={toggle}
      title="Toggle light and dark theme"
      className={cn(
        "inline-flex size-9 items-center justify-center rounded-lg text-zinc-600 transition-colors hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white",
        focusRing,
        "focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950",
      )}
    >
      <MoonIcon className="size-[18px] dark:hidden" />
      <SunIcon className="hidden size-[18px] dark:block" />
      <span className="sr-only dark:hidden">Switch to dark theme</span>
      <span className="sr-only hidden dark:inline">Switch to light theme</span>
    </button>
  );
}
