// Kept while the browser client still imports from here; the service is lib/services/transcriptions.ts.
export type { TranscriptionView } from "@/lib/services/transcriptions";
