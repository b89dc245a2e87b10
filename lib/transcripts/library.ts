// Kept while the browser client still imports from here; the service is lib/services/library.ts.
export type { TranscriptListItem } from "@/lib/services/library";
