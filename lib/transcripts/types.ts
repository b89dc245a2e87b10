// Kept while the browser client still imports from here; the types live in lib/domain.
export type { Transcript, TranscriptSettings } from "@/lib/domain/transcript";
