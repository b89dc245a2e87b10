import { Document, HeadingLevel, Packer, Paragraph, TextRun } from "docx";
import { segmentsMatchText } from "@/lib/domain/realign-segments";
import { hasSpeakers, speakerTurns } from "@/lib/domain/speakers";
import type { ExportFormat } from "@/lib/contract";
import type { Segment, Transcript } from "@/lib/domain/transcript";

/** A rendered export, ready to send as a download. */
export interface RenderedExport {
  body: Buffer;
  contentType: string;
  fileName: string;
}

const contentTypes: Record<ExportFormat, string> = {
  txt: "text/plain; charset=utf-8",
  srt: "application/x-subrip",
  vtt: "text/vtt; charset=utf-8",
  json: "application/json",
  csv: "text/csv; charset=utf-8",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

const csvHeader = ["id", "title", "created", "duration", "language", "engine", "text", "summary"];

// Excel and LibreOffice do not detect UTF-8 without it and show accents as mojibake.
const utf8Bom = "\uFEFF";

/**
 * Renders a transcript in one of the export formats.
 * The edited `text` is authoritative for txt, csv and docx; subtitles are timed from `segments`.
 */
export async function renderExport(transcript: Transcript, format: ExportFormat): Promise<RenderedExport> {
  const fileName = `${slugify(transcript.title)}.${format}`;
  const contentType = contentTypes[format];
  switch (format) {
    case "txt":
      return { body: utf8(renderTxt(transcript)), contentType, fileName };
    case "srt":
      return { body: utf8(renderSrt(transcript)), contentType, fileName };
    case "vtt":
      return { body: utf8(renderVtt(transcript)), contentType, fileName };
    case "json":
      return { body: utf8(renderJson(transcript)), contentType, fileName };
    case "csv":
      return { body: utf8(utf8Bom + renderTranscriptsCsv([transcript])), contentType, fileName };
    case "docx":
      return { body: await renderDocx(transcript), contentType, fileName };
  }
}

/**
 * Renders transcripts as RFC 4180 CSV (CRLF line ends, header row first) with formula injection neutralised.
 * No byte order mark is added; prepend `"\uFEFF"` when serving it for spreadsheets.
 */
export function renderTranscriptsCsv(transcripts: Transcript[]): string {
  const rows = [csvHeader.map(csvCell)];
  for (const transcript of transcripts) {
    rows.push(
      [
        transcript.id,
        transcript.title,
        isoDate(transcript.createdAt),
        roundedDuration(transcript.durationSec),
        transcript.language,
        transcript.engine,
        transcript.text,
        transcript.summary,
      ].map(csvCell),
    );
  }
  return rows.map((row) => `${row.join(",")}\r\n`).join("");
}

/**
 * Encodes one CSV field. Text starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'` so spreadsheets
 * do not evaluate it as a formula; numbers are written as they are. `null`, `undefined` and non-finite
 * numbers become an empty field.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Formats a time in seconds: `srt` as `HH:MM:SS,mmm`, `vtt` as `HH:MM:SS.mmm`, `clock` as `m:ss` or `h:mm:ss`
 * (whole seconds, rounded down). Negative or non-finite times are treated as zero.
 */
export function formatTimestamp(seconds: number, style: "srt" | "vtt" | "clock"): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  if (style === "clock") {
    const whole = Math.floor(safe);
    const h = Math.floor(whole / 3600);
    const m = Math.floor((whole % 3600) / 60);
    const s = whole % 60;
    return h > 0 ? `${h}:${pad(m, 2)}:${pad(s, 2)}` : `${m}:${pad(s, 2)}`;
  }
  const totalMs = Math.round(safe * 1000);
  const h = Math.floor(totalMs / 3_600_000);
  const m = Math.floor((totalMs % 3_600_000) / 60_000);
  const s = Math.floor((totalMs % 60_000) / 1000);
  const ms = totalMs % 1000;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${style === "srt" ? "," : "."}${pad(ms, 3)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function utf8(text: string): Buffer {
  return Buffer.from(text, "utf8");
}

function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || "transcript";
}

function displayTitle(transcript: Transcript): string {
  return transcript.title.trim() || "Transcript";
}

/**
 * The transcript as speaker turns, one paragraph each, prefixed `Name: ` (a turn without a speaker
 * has no prefix); `null` when no segment has a speaker or the segments do not spell out the text
 * (then the text is shown as it is).
 */
export function speakerText(transcript: Pick<Transcript, "text" | "segments">): string | null {
  const segments = transcript.segments;
  if (!hasSpeakers(segments) || !segmentsMatchText(segments, transcript.text)) return null;
  return speakerTurns(segments)
    .map((turn) => (turn.speaker ? `${turn.speaker}: ${turn.text}` : turn.text))
    .join("\n\n");
}

function renderTxt(transcript: Transcript): string {
  const text = (speakerText(transcript) ?? transcript.text).replace(/\r\n?/g, "\n").trim();
  const summary = transcript.summary?.replace(/\r\n?/g, "\n").trim();
  if (!summary) return `${displayTitle(transcript)}\n\n${text}\n`;
  return `${displayTitle(transcript)}\n\nSummary\n${summary}\n\nTranscript\n${text}\n`;
}

function renderJson(transcript: Transcript): string {
  const copy: Transcript = { ...transcript };
  delete copy.etag;
  return `${JSON.stringify(copy, null, 2)}\n`;
}

interface Cue {
  start: number;
  end: number;
  lines: string[];
  speaker?: string;
}

function subtitleCues(transcript: Transcript): Cue[] {
  const cues: Cue[] = [];
  for (const segment of transcript.segments) {
    const lines = cueLines(segment.text);
    if (lines.length === 0) continue;
    const start = Math.max(0, segment.start);
    const speaker = segment.speaker?.replace(/\s+/g, " ").trim();
    cues.push({ start, end: Math.max(start, segment.end), lines, speaker: speaker || undefined });
  }
  if (cues.length === 0) {
    const lines = cueLines(transcript.text);
    if (lines.length > 0) cues.push({ start: 0, end: Math.max(0, transcript.durationSec), lines });
  }
  return cues;
}

// A blank line ends a cue in both formats, so blank and whitespace-only lines are dropped.
function cueLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

// Parsers treat any line containing `-->` as a timing line; `->` reads the same to a viewer.
function defuseArrows(text: string): string {
  return text.replace(/-{2,}>/g, "->");
}

function renderSrt(transcript: Transcript): string {
  const blocks = subtitleCues(transcript).map((cue, index) => {
    const lines = cue.speaker ? [`${cue.speaker}: ${cue.lines[0]}`, ...cue.lines.slice(1)] : cue.lines;
    const timing = `${formatTimestamp(cue.start, "srt")} --> ${formatTimestamp(cue.end, "srt")}`;
    return [String(index + 1), timing, ...lines.map(defuseArrows)].join("\n");
  });
  return blocks.length > 0 ? `${blocks.join("\n\n")}\n` : "";
}

function escapeVtt(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function renderVtt(transcript: Transcript): string {
  const blocks = subtitleCues(transcript).map((cue) => {
    const lines = cue.lines.map(escapeVtt);
    if (cue.speaker) lines[0] = `<v ${escapeVtt(cue.speaker)}>${lines[0]}`;
    const timing = `${formatTimestamp(cue.start, "vtt")} --> ${formatTimestamp(cue.end, "vtt")}`;
    return [timing, ...lines].join("\n");
  });
  return blocks.length > 0 ? `WEBVTT\n\n${blocks.join("\n\n")}\n` : "WEBVTT\n";
}

function isoDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function roundedDuration(seconds: number): number | undefined {
  return Number.isFinite(seconds) ? Math.max(0, Math.round(seconds * 100) / 100) : undefined;
}

function readableDate(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

// Characters XML 1.0 forbids make Word refuse to open the whole document.
function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu, "");
}

function textParagraphs(text: string): Paragraph[] {
  return xmlSafe(text)
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
    .map(
      (block) =>
        new Paragraph({
          children: block
            .split("\n")
            .map((line, index) => new TextRun({ text: line.trim(), break: index > 0 ? 1 : undefined })),
        }),
    );
}

function segmentParagraph(segment: Segment): Paragraph {
  const children = [new TextRun({ text: `[${formatTimestamp(segment.start, "clock")}]`, color: "808080" })];
  const speaker = segment.speaker?.trim();
  if (speaker) children.push(new TextRun({ text: ` ${xmlSafe(speaker)}:`, bold: true }));
  children.push(new TextRun({ text: ` ${xmlSafe(segment.text).replace(/\s+/g, " ").trim()}` }));
  return new Paragraph({ children });
}

function metadataLine(label: string, value: string): Paragraph {
  return new Paragraph({
    children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun({ text: xmlSafe(value) })],
  });
}

async function renderDocx(transcript: Transcript): Promise<Buffer> {
  const title = xmlSafe(displayTitle(transcript));
  const segments = transcript.segments.filter((segment) => segment.text.trim().length > 0);
  const useSegments = segments.length > 0 && segmentsMatchText(segments, transcript.text);

  const children: Paragraph[] = [
    new Paragraph({ text: title, heading: HeadingLevel.HEADING_1 }),
    metadataLine("Created", readableDate(transcript.createdAt)),
    metadataLine("Duration", formatTimestamp(transcript.durationSec, "clock")),
    metadataLine("Language", transcript.language),
    metadataLine("Engine", transcript.engine),
  ];
  const summary = transcript.summary?.trim();
  if (summary) {
    children.push(new Paragraph({ text: "Summary", heading: HeadingLevel.HEADING_2 }));
    children.push(...textParagraphs(summary));
  }
  children.push(new Paragraph({ text: "Transcript", heading: HeadingLevel.HEADING_2 }));
  children.push(...(useSegments ? segments.map(segmentParagraph) : textParagraphs(transcript.text)));

  const document = new Document({ title, sections: [{ children }] });
  return Packer.toBuffer(document);
}
