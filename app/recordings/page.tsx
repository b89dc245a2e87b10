import type { Metadata } from "next";
import { Suspense } from "react";
import { Library, LibraryFallback } from "@/components/library/library";

export const metadata: Metadata = { title: "Recordings" };

export default function RecordingsPage() {
  // The library reads ?q= from the address, which is only known in the browser for a static page.
  return (
    <Suspense fallback={<LibraryFallback />}>
      <Library />
    </Suspense>
  );
}
