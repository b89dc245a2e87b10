// What the editor offers the panels around it (summary, e-mail): one draft of a saved transcript.
import type { Segment, SummaryResult, Transcript } from "@/lib/contract";

/** Where saving stands, as the editor shows it. */
export type SaveStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: number }
  | { kind: "conflict"; message: string }
  | { kind: "error"; message: string };

export interface KeptEdits {
  text: string;
  title: string;
  summary: string;
}

export interface TranscriptDraftApi {
  /** The last saved version (what the server has). */
  saved: Transcript;
  text: string;
  title: string;
  /** The summary as edited ("" when there is none). */
  summary: string;
  /**
   * The timed segments as they will be saved: the saved ones following the edited text (see
   * `realignSegments`), with the segment edits made. They may trail the text by a render while typing.
   */
  segments: Segment[];
  setText: (text: string) => void;
  /**
   * Replaces the text of segment `index` (of `segments`) and the same words in the text; a text
   * without words removes the segment.
   */
  editSegment: (index: number, text: string) => void;
  /** Renames speaker `from` on every segment; a name another speaker has merges the two. */
  renameSpeaker: (from: string, to: string) => void;
  /** Gives segment `index` (of `segments`) to speaker `to`. */
  moveSegmentToSpeaker: (index: number, to: string) => void;
  setTitle: (title: string) => void;
  setSummary: (summary: string) => void;
  /**
   * A summary the server made and already saved with the transcript: it becomes the saved
   * summary, and its version (`etag`) the one the next save is based on. Other edits stay.
   */
  adoptSummary: (result: SummaryResult) => void;
  /** The text, title, summary or a segment's speaker differs from the saved version. */
  dirty: boolean;
  /** Only the summary differs from the saved version. */
  summaryDirty: boolean;
  status: SaveStatus;
  save: () => Promise<Transcript | null>;
  /** After a conflict: load the other version; the user's edits are kept aside in `kept`. */
  reload: () => Promise<void>;
  reloading: boolean;
  reloadError: string | null;
  kept: KeptEdits | null;
  restoreKept: () => void;
  discardKept: () => void;
  /** Back to the saved version. */
  revert: () => void;
  dismiss: () => void;
}
