// The transcript e-mail as a mail client would receive it: composed by buildTranscriptEmail,
// written by the outbox as an .eml, read back with a real MIME parser.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { OutboxSender } from "@/lib/email/outbox/outbox-sender";
import type { StoredTranscript } from "@/lib/storage/types";
import { buildTranscriptEmail } from "@/lib/services/email-message";
import { renderExport } from "@/lib/services/export";
import { addresses, htmlToText, squash } from "../helpers/mail";

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const title = 'Café <script>alert("x")</script> & Ünïcode 🎉';
const summary =
  "Overview: Budget & timing for Zoë's team — <b>not bold</b>. 🎉\n\nKey points:\n- Déjà vu: 48 000 €";
const paragraphs = [
  "Bonjour à tous & welcome. <script>alert(1)</script> is only words here.",
  "Zweiter Absatz: Grüße aus Köln 🎉 and “curly quotes”.",
];

function makeTranscript(overrides: Partial<StoredTranscript> = {}): StoredTranscript {
  return {
    id: "0123456789abcdefg",
    recordingId: "0123456789abcdefh",
    title,
    text: paragraphs.join("\n\n"),
    segments: [
      { start: 0, end: 4.2, text: paragraphs[0]!, speaker: "Speaker 1" },
      { start: 4.2, end: 9.9, text: paragraphs[1]!, speaker: "Speaker 2" },
    ],
    language: "fr-FR",
    durationSec: 3723.4,
    engine: "local-whisper-small",
    settings: { diarize: true },
    summary,
    createdAt: "2024-05-01T14:03:00.000Z",
    updatedAt: "2024-05-01T14:05:00.000Z",
    etag: '"0x1"',
    ...overrides,
  };
}

const addressPair = { from: "Transcribe <transcribe@localhost>", to: "zoë.reader@example.com" };
const engineName = "Whisper small (local)";
const owner = "owner-a";
let folder: string;
let outbox: OutboxSender;

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-outbox-"));
  outbox = new OutboxSender(path.join(folder, "outbox"));
});

afterEach(() => {
  fs.rmSync(folder, { recursive: true, force: true });
});

/** Sends through the outbox and returns the raw .eml and its parse. */
async function sendAndParse(transcript: StoredTranscript, to = "reader@example.com") {
  const message = await buildTranscriptEmail(transcript, { ...addressPair, to }, engineName);
  const { id } = await outbox.send(message, { owner });
  const raw = fs.readFileSync(path.join(folder, "outbox", `${id}.eml`));
  return { id, message, raw, parsed: await simpleParser(raw) };
}

function headerSection(raw: Buffer): string {
  const text = raw.toString("latin1");
  return text.slice(0, text.indexOf("\r\n\r\n"));
}

describe("buildTranscriptEmail through the outbox", () => {
  let raw: Buffer;
  let parsed: ParsedMail;
  let id: string;

  beforeEach(async () => {
    ({ raw, parsed, id } = await sendAndParse(makeTranscript()));
  });

  it("has From, To, a unicode Subject, Date and Message-ID headers, encoded as 7-bit", () => {
    expect(addresses(parsed.from)).toEqual(["transcribe@localhost"]);
    expect(parsed.from?.value[0]?.name).toBe("Transcribe");
    expect(addresses(parsed.to)).toEqual(["reader@example.com"]);
    expect(parsed.subject).toBe(`Transcript: ${title}`);
    expect(parsed.date).toBeInstanceOf(Date);
    expect(Math.abs(parsed.date!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(parsed.messageId).toBe(`<${id}@transcribe.local>`);
    expect(parsed.headers.get("mime-version")).toBe("1.0");
    // Non-ASCII header values travel as encoded words.
    expect(headerSection(raw)).toMatch(/^[\x20-\x7e\r\n\t]+$/);
  });

  it("is multipart: text and HTML alternatives plus the attachments", () => {
    const top = parsed.headers.get("content-type") as { value: string };
    expect(top.value).toBe("multipart/mixed");
    expect(raw.toString("latin1")).toMatch(/Content-Type: multipart\/alternative;/);
    expect(typeof parsed.text).toBe("string");
    expect(typeof parsed.html).toBe("string");
  });

  it("puts the summary, the settings and the transcript in the text part", () => {
    const text = parsed.text!;
    expect(text).toContain(summary);
    expect(text).toContain("Language: fr-FR");
    expect(text).toContain("Speaker identification: on");
    expect(text).toContain(`Engine: ${engineName}`);
    expect(text).toContain("Date: Wed, 01 May 2024 14:03:00 GMT");
    expect(text).toContain("Duration: 1:02:03");
    for (const paragraph of paragraphs) expect(text).toContain(paragraph);
    // Summary first, then settings, then the transcript.
    const order = [summary, "Language: fr-FR", paragraphs[0]!].map((part) => text.indexOf(part));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("escapes markup in the HTML part and shows the same content", () => {
    const html = parsed.html as string;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("<b>not bold</b>");
    expect(html).toContain("&#60;script&#62;");
    const seen = htmlToText(html);
    expect(seen).toContain(`${title} Summary`);
    expect(seen).toContain(squash(summary));
    expect(seen).toContain("Language fr-FR");
    expect(seen).toContain("Speaker identification on");
    expect(seen).toContain(`Engine ${engineName}`);
    expect(seen).toContain("Date Wed, 01 May 2024 14:03:00 GMT");
    expect(seen).toContain("Duration 1:02:03");
    for (const paragraph of paragraphs) expect(seen).toContain(paragraph);
  });

  it("attaches the transcript as TXT (the export, byte for byte) and DOCX", async () => {
    expect(parsed.attachments).toHaveLength(2);
    const [txt, docx] = parsed.attachments;
    const transcript = makeTranscript();
    const txtExport = await renderExport(transcript, "txt");
    expect(txt!.contentType).toBe("text/plain");
    expect(txt!.filename).toBe(txtExport.fileName);
    expect(txt!.filename).toMatch(/\.txt$/);
    expect(txt!.content.equals(txtExport.body)).toBe(true);
    expect(txt!.content.toString("utf8")).toBe(
      `${title}\n\nSummary\n${summary}\n\nTranscript\nSpeaker 1: ${paragraphs[0]}\n\nSpeaker 2: ${paragraphs[1]}\n`,
    );

    expect(docx!.contentType).toBe(docxType);
    expect(docx!.filename).toMatch(/\.docx$/);
    expect(docx!.content.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(docx!.content.length).toBeGreaterThan(1000);
  });

  it("names the speaker of every turn in the plain-text and HTML bodies", () => {
    expect(parsed.text).toContain(`TRANSCRIPT\nSpeaker 1: ${paragraphs[0]}\n\nSpeaker 2: ${paragraphs[1]}\n`);
    const seen = htmlToText(parsed.html || "");
    expect(seen).toContain(`Speaker 1: ${paragraphs[0]}`);
    expect(seen).toContain(`Speaker 2: ${paragraphs[1]}`);
  });

  it("keeps the text as it is when no segment has a speaker", async () => {
    const plain = makeTranscript({
      segments: [
        { start: 0, end: 4.2, text: paragraphs[0]! },
        { start: 4.2, end: 9.9, text: paragraphs[1]! },
      ],
    });
    const { parsed: other } = await sendAndParse(plain);
    expect(other.text).toContain(`TRANSCRIPT\n${paragraphs.join("\n\n")}\n`);
    expect(other.text).not.toContain("Speaker 1:");
  });

  it("uses CRLF line endings throughout the raw message", () => {
    const text = raw.toString("latin1");
    expect(text).toContain("\r\n");
    expect(text).not.toMatch(/(^|[^\r])\n/);
    expect(text).not.toMatch(/\r(?!\n)/);
  });

  it("says how many speakers were asked for", async () => {
    const { parsed: three } = await sendAndParse(
      makeTranscript({ settings: { diarize: true, speakers: 3 } }),
    );
    expect(three.text).toContain("Speaker identification: on (3 speakers)");
    expect(htmlToText(three.html as string)).toContain("Speaker identification on (3 speakers)");
    const { parsed: one } = await sendAndParse(makeTranscript({ settings: { diarize: true, speakers: 1 } }));
    expect(one.text).toMatch(/Speaker identification: on \(1 speaker\)$/m);
  });

  it("leaves the summary out and says speaker identification is off when so", async () => {
    const plain = makeTranscript({ summary: undefined, language: "en-US", settings: { diarize: false } });
    const { parsed: other } = await sendAndParse(plain);
    expect(other.text).not.toContain("SUMMARY");
    expect(other.text).toContain("Speaker identification: off");
    expect(other.text).toContain("Language: en-US");
    expect(htmlToText(other.html as string)).not.toContain("Summary");
  });
});

describe("OutboxSender as the outbox", () => {
  it("lists what it kept, newest first, with the index fields", async () => {
    const ids: string[] = [];
    for (const name of ["First", "Second", "Third"]) {
      const message = await buildTranscriptEmail(makeTranscript({ title: name }), addressPair, engineName);
      ids.push((await outbox.send(message, { owner })).id);
      // Distinct milliseconds: ids sort by time.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const entries = await outbox.list(owner);
    expect(entries.map((e) => e.subject)).toEqual([
      "Transcript: Third",
      "Transcript: Second",
      "Transcript: First",
    ]);
    expect(entries.map((e) => e.id)).toEqual([...ids].reverse());
    const newest = entries[0]!;
    expect(newest).toMatchObject({ from: addressPair.from, to: addressPair.to });
    expect(Date.parse(newest.createdAt)).not.toBeNaN();
    expect(newest.sizeBytes).toBe(fs.statSync(path.join(folder, "outbox", `${newest.id}.eml`)).size);
    expect(newest.attachments.map((a) => a.contentType)).toEqual(["text/plain; charset=utf-8", docxType]);
    expect(newest.text).toContain("TRANSCRIPT");
  });

  it("reads the raw bytes back and refuses ids that are not its own", async () => {
    const message = await buildTranscriptEmail(makeTranscript(), addressPair, engineName);
    const { id } = await outbox.send(message, { owner });
    const bytes = await outbox.read(owner, id);
    expect(bytes).not.toBeNull();
    expect(bytes!.equals(fs.readFileSync(path.join(folder, "outbox", `${id}.eml`)))).toBe(true);

    expect(await outbox.read(owner, "../../etc/passwd")).toBeNull();
    expect(await outbox.read(owner, `../outbox/${id}`)).toBeNull();
    expect(await outbox.read(owner, "0000000000000-deadbeef")).toBeNull();
    expect(await outbox.read(owner, `${id}.eml`)).toBeNull();
  });

  it("lists nothing before anything was sent and skips foreign or broken files", async () => {
    expect(await outbox.list(owner)).toEqual([]);
    const message = await buildTranscriptEmail(makeTranscript(), addressPair, engineName);
    await outbox.send(message, { owner });
    fs.writeFileSync(path.join(folder, "outbox", "notes.json"), "{}");
    fs.writeFileSync(path.join(folder, "outbox", "1700000000000-0000000a.json"), "{ not json");
    expect((await outbox.list(owner)).map((e) => e.subject)).toEqual([`Transcript: ${title}`]);
  });

  it("shows each owner only their own messages; older messages without one belong to the legacy owner", async () => {
    const message = await buildTranscriptEmail(makeTranscript(), addressPair, engineName);
    const mine = await outbox.send(message, { owner });
    const theirs = await outbox.send(message, { owner: "owner-b" });
    expect((await outbox.list(owner)).map((e) => e.id)).toEqual([mine.id]);
    expect((await outbox.list("owner-b")).map((e) => e.id)).toEqual([theirs.id]);
    expect(await outbox.read(owner, theirs.id)).toBeNull();
    expect(await outbox.read("owner-b", mine.id)).toBeNull();
    expect(Object.keys((await outbox.list(owner))[0]!)).not.toContain("owner");

    // A message written before messages had owners.
    const index = path.join(folder, "outbox", `${mine.id}.json`);
    const old = JSON.parse(fs.readFileSync(index, "utf8")) as Record<string, unknown>;
    delete old.owner;
    fs.writeFileSync(index, JSON.stringify(old));
    expect(await outbox.list(owner)).toEqual([]);
    const upgraded = new OutboxSender(path.join(folder, "outbox"), { legacyOwner: owner });
    expect((await upgraded.list(owner)).map((e) => e.id)).toEqual([mine.id]);
    expect(await upgraded.read(owner, mine.id)).not.toBeNull();
    expect(await upgraded.read("owner-b", mine.id)).toBeNull();
  });
});
