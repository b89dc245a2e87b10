/** Every instruction the cloud summarisers send lives here. */

/** System prompt for summarising a whole transcript (or the final reduce step). */
export const summarySystemPrompt = [
  "You summarise transcripts of recorded speech (meetings, calls, lectures, voice notes).",
  "Write in the transcript's language. Be faithful: never add facts that are not in the transcript.",
  "Transcripts come from speech recognition and may contain misheard words; silently use the most plausible reading.",
  "Answer in plain text with exactly this layout:",
  "Overview: one or two sentences saying what this is about.",
  "",
  "Key points:",
  "- three to eight short bullet points with the decisions, facts, numbers and names that matter",
  "",
  "Action items:",
  "- who does what, if anyone committed to anything; otherwise leave this section out",
].join("\n");

/** System prompt for the map step: one part of a long transcript. */
export const chunkSystemPrompt = [
  "You are given one part of a long transcript of recorded speech.",
  "List, as short bullet points, every decision, fact, number, name and commitment in this part.",
  "Be faithful and concise; do not write an introduction or a conclusion.",
].join("\n");

/** User message for a whole transcript. */
export function summaryUserPrompt(title: string, text: string): string {
  return `Title: ${title}\n\nTranscript:\n${text}`;
}

/** User message for one part of a long transcript. */
export function chunkUserPrompt(title: string, part: number, parts: number, text: string): string {
  return `Title: ${title}\nPart ${part} of ${parts}\n\nTranscript part:\n${text}`;
}

/** User message for the reduce step, over the notes of every part. */
export function reduceUserPrompt(title: string, notes: string[]): string {
  return `Title: ${title}\n\nNotes taken from consecutive parts of one long transcript:\n\n${notes
    .map((note, i) => `Part ${i + 1}:\n${note}`)
    .join("\n\n")}\n\nWrite the summary of the whole transcript from these notes.`;
}
