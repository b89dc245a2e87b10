import { parseCsv } from "../helpers/csv";
import { documentXml as docxDocumentXml, readZip, visibleText } from "../helpers/docx";
import { csvCell, formatTimestamp, renderExport, renderTranscriptsCsv } from "@/lib/services/export";
import { exportFormats } from "@/lib/contract";
import type { Transcript } from "@/lib/domain/transcript";

function makeTranscript(overrides: Partial<Transcript> = {}): Transcript {
  return {
    id: "tr_1",
    recordingId: "rec_1",
    title: "Weekly sync",
    text: "Hello there. General Kenobi! Back later.",
    segments: [
      { start: 0, end: 2.5, text: " Hello there." },
      { start: 5.2, end: 7.25, text: "General Kenobi!", speaker: "Obi-Wan" },
      { start: 3725.5, end: 3727, text: "Back later." },
    ],
    language: "en",
    durationSec: 3727.456,
    engine: "local-whisper-tiny.en",
    settings: { diarize: true },
    summary: "A short greeting.",
    createdAt: "2024-05-01T14:03:00.000Z",
    updatedAt: "2024-05-01T14:05:00.000Z",
    etag: '"abc123"',
    processingMs: 1234,
    ...overrides,
  };
}

async function documentXml(transcript: Transcript): Promise<string> {
  return docxDocumentXml((await renderExport(transcript, "docx")).body);
}

async function renderText(
  transcript: Transcript,
  format: "txt" | "srt" | "vtt" | "json" | "csv",
): Promise<string> {
  return (await renderExport(transcript, format)).body.toString("utf8");
}

describe("formatTimestamp", () => {
  it("formats SubRip, WebVTT and clock styles past an hour", () => {
    expect(formatTimestamp(3725.5, "srt")).toBe("01:02:05,500");
    expect(formatTimestamp(3725.5, "vtt")).toBe("01:02:05.500");
    expect(formatTimestamp(3725.5, "clock")).toBe("1:02:05");
  });

  it("uses m:ss under an hour and rounds clock times down", () => {
    expect(formatTimestamp(5.9, "clock")).toBe("0:05");
    expect(formatTimestamp(605, "clock")).toBe("10:05");
  });

  it("rounds to the millisecond without producing 1000 ms", () => {
    expect(formatTimestamp(1.9996, "srt")).toBe("00:00:02,000");
    expect(formatTimestamp(59.9999, "vtt")).toBe("00:01:00.000");
  });

  it("treats negative and non-finite times as zero", () => {
    expect(formatTimestamp(-3, "srt")).toBe("00:00:00,000");
    expect(formatTimestamp(Number.NaN, "clock")).toBe("0:00");
  });
});

describe("csvCell", () => {
  it("leaves plain text and numbers alone", () => {
    expect(csvCell("Weekly sync")).toBe("Weekly sync");
    expect(csvCell("a-b")).toBe("a-b");
    expect(csvCell(12.5)).toBe("12.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe("");
  });

  it("quotes fields with quotes, commas and line breaks, doubling quotes", () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell("a\rb")).toBe('"a\rb"');
  });

  it("neutralises formula prefixes", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("\r=1")).toBe('"\'\r=1"');
  });
});

describe("renderTranscriptsCsv", () => {
  const header = ["id", "title", "created", "duration", "language", "engine", "text", "summary"];

  it("writes a header and one row per transcript", () => {
    const csv = renderTranscriptsCsv([makeTranscript(), makeTranscript({ id: "tr_2", summary: undefined })]);
    const records = parseCsv(csv);
    expect(records).toEqual([
      header,
      [
        "tr_1",
        "Weekly sync",
        "2024-05-01T14:03:00.000Z",
        "3727.46",
        "en",
        "local-whisper-tiny.en",
        "Hello there. General Kenobi! Back later.",
        "A short greeting.",
      ],
      [
        "tr_2",
        "Weekly sync",
        "2024-05-01T14:03:00.000Z",
        "3727.46",
        "en",
        "local-whisper-tiny.en",
        "Hello there. General Kenobi! Back later.",
        "",
      ],
    ]);
    expect(csv.startsWith("id,title,created,duration,language,engine,text,summary\r\n")).toBe(true);
    expect(csv).toContain(",Weekly sync,");
  });

  it("writes only the header for no transcripts", () => {
    expect(renderTranscriptsCsv([])).toBe("id,title,created,duration,language,engine,text,summary\r\n");
  });

  it("round-trips quotes, commas, line breaks, unicode and emoji", () => {
    const nasty = [
      'He said "hello", then left',
      "line one\r\nline two\nline three\rline four",
      "Zürich, São Paulo, 東京 — naïve café",
      "emoji 🎙️👩🏽‍💻 end",
      '""',
      ",",
      "trailing space ",
    ];
    const transcripts = nasty.map((value, index) =>
      makeTranscript({ id: `tr_${index}`, title: value, text: value, summary: value }),
    );
    const records = parseCsv(renderTranscriptsCsv(transcripts));
    expect(records).toHaveLength(nasty.length + 1);
    nasty.forEach((value, index) => {
      const row = records[index + 1];
      expect(row).toHaveLength(header.length);
      expect(row?.[1]).toBe(value);
      expect(row?.[6]).toBe(value);
      expect(row?.[7]).toBe(value);
    });
  });

  it("ends every record with CRLF", () => {
    const csv = renderTranscriptsCsv([makeTranscript(), makeTranscript({ id: "tr_2" })]);
    expect(csv.endsWith("\r\n")).toBe(true);
    const lines = csv.split("\r\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toMatch(/[\r\n]/);
  });

  it.each(['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])(
    "prefixes %j with a single quote in every text column",
    (value) => {
      const transcript = makeTranscript({
        id: value,
        title: value,
        text: value,
        summary: value,
        engine: value,
      });
      const row = parseCsv(renderTranscriptsCsv([transcript]))[1];
      expect(row).toEqual([
        `'${value}`,
        `'${value}`,
        "2024-05-01T14:03:00.000Z",
        "3727.46",
        "en",
        `'${value}`,
        `'${value}`,
        `'${value}`,
      ]);
    },
  );

  it("writes duration as a plain number with at most two decimals", () => {
    const rows = parseCsv(
      renderTranscriptsCsv([makeTranscript({ durationSec: 10 }), makeTranscript({ durationSec: 0.125 })]),
    );
    expect(rows[1]?.[3]).toBe("10");
    expect(rows[2]?.[3]).toBe("0.13");
  });
});

describe("renderExport csv", () => {
  it("starts with a UTF-8 byte order mark and holds one row", async () => {
    const transcript = makeTranscript({ title: "Café =notes" });
    const { body, contentType, fileName } = await renderExport(transcript, "csv");
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(contentType).toBe("text/csv; charset=utf-8");
    expect(fileName).toBe("cafe-notes.csv");
    const records = parseCsv(body.subarray(3).toString("utf8"));
    expect(records).toHaveLength(2);
    expect(records[1]?.[1]).toBe("Café =notes");
  });
});

describe("renderExport txt", () => {
  it("writes the title, the summary and the edited text", async () => {
    const transcript = makeTranscript({ text: "Edited words.\r\nSecond line." });
    const { body, contentType } = await renderExport(transcript, "txt");
    expect(contentType).toBe("text/plain; charset=utf-8");
    expect(body.toString("utf8")).toBe(
      "Weekly sync\n\nSummary\nA short greeting.\n\nTranscript\nEdited words.\nSecond line.\n",
    );
  });

  it("writes only the title and the text when there is no summary", async () => {
    const transcript = makeTranscript({ text: "Edited words.", summary: undefined });
    const { body } = await renderExport(transcript, "txt");
    expect(body.toString("utf8")).toBe("Weekly sync\n\nEdited words.\n");
  });
});

describe("renderExport srt", () => {
  it("renders numbered cues with speaker prefixes", async () => {
    const { body, contentType, fileName } = await renderExport(makeTranscript(), "srt");
    expect(contentType).toBe("application/x-subrip");
    expect(fileName).toBe("weekly-sync.srt");
    expect(body.toString("utf8")).toBe(
      [
        "1",
        "00:00:00,000 --> 00:00:02,500",
        "Hello there.",
        "",
        "2",
        "00:00:05,200 --> 00:00:07,250",
        "Obi-Wan: General Kenobi!",
        "",
        "3",
        "01:02:05,500 --> 01:02:07,000",
        "Back later.",
        "",
      ].join("\n"),
    );
  });

  it("collapses blank lines and defuses arrows inside cue text", async () => {
    const transcript = makeTranscript({
      segments: [
        { start: 1, end: 2, text: "first\n\n  \nsecond" },
        { start: 2, end: 3, text: "-->" },
        { start: 3, end: 4, text: "a ---> <b>b</b>" },
      ],
    });
    const srt = await renderText(transcript, "srt");
    expect(srt).toBe(
      [
        "1",
        "00:00:01,000 --> 00:00:02,000",
        "first",
        "second",
        "",
        "2",
        "00:00:02,000 --> 00:00:03,000",
        "->",
        "",
        "3",
        "00:00:03,000 --> 00:00:04,000",
        "a -> <b>b</b>",
        "",
      ].join("\n"),
    );
    const blocks = srt.trimEnd().split("\n\n");
    expect(blocks).toHaveLength(3);
    for (const block of blocks) {
      const lines = block.split("\n");
      expect(lines[1]).toMatch(/^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}$/);
      for (const line of lines.slice(2)) expect(line).not.toContain("-->");
    }
  });

  it("falls back to one cue spanning the whole recording when there are no segments", async () => {
    const transcript = makeTranscript({ segments: [], text: "Just text.\n\nMore.", durationSec: 12.3 });
    expect(await renderText(transcript, "srt")).toBe("1\n00:00:00,000 --> 00:00:12,300\nJust text.\nMore.\n");
  });

  it("is empty when there is nothing to show", async () => {
    expect(await renderText(makeTranscript({ segments: [], text: "  " }), "srt")).toBe("");
  });
});

describe("renderExport vtt", () => {
  it("renders a WEBVTT header and voice tags", async () => {
    const { body, contentType } = await renderExport(makeTranscript(), "vtt");
    expect(contentType).toBe("text/vtt; charset=utf-8");
    expect(body.toString("utf8")).toBe(
      [
        "WEBVTT",
        "",
        "00:00:00.000 --> 00:00:02.500",
        "Hello there.",
        "",
        "00:00:05.200 --> 00:00:07.250",
        "<v Obi-Wan>General Kenobi!",
        "",
        "01:02:05.500 --> 01:02:07.000",
        "Back later.",
        "",
      ].join("\n"),
    );
  });

  it("escapes markup, collapses blank lines and keeps arrows out of cue text", async () => {
    const transcript = makeTranscript({
      segments: [
        { start: 1, end: 2, text: "first\n\nsecond" },
        { start: 2, end: 3, text: "-->" },
        { start: 3, end: 4, text: "<b>bold</b> & co", speaker: "A<B> & C" },
      ],
    });
    const vtt = await renderText(transcript, "vtt");
    expect(vtt).toBe(
      [
        "WEBVTT",
        "",
        "00:00:01.000 --> 00:00:02.000",
        "first",
        "second",
        "",
        "00:00:02.000 --> 00:00:03.000",
        "--&gt;",
        "",
        "00:00:03.000 --> 00:00:04.000",
        "<v A&lt;B&gt; &amp; C>&lt;b&gt;bold&lt;/b&gt; &amp; co",
        "",
      ].join("\n"),
    );
    expect(vtt.match(/-->/g)).toHaveLength(3);
  });

  it("falls back to one cue when there are no segments", async () => {
    const transcript = makeTranscript({ segments: [], text: "Only text", durationSec: 3725.5 });
    expect(await renderText(transcript, "vtt")).toBe("WEBVTT\n\n00:00:00.000 --> 01:02:05.500\nOnly text\n");
  });
});

describe("renderExport json", () => {
  it("round-trips the transcript without its etag", async () => {
    const transcript = makeTranscript({ title: 'Quote " and emoji 🎙️' });
    const { body, contentType } = await renderExport(transcript, "json");
    expect(contentType).toBe("application/json");
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    const expected: Partial<Transcript> = { ...transcript };
    delete expected.etag;
    expect(parsed).toStrictEqual(expected);
    expect(parsed).not.toHaveProperty("etag");
    expect(body.toString("utf8")).toContain('\n  "id": "tr_1",');
  });
});

describe("renderExport docx", () => {
  it("produces a ZIP package", async () => {
    const { body, contentType, fileName } = await renderExport(makeTranscript(), "docx");
    expect(body.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(contentType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(fileName).toBe("weekly-sync.docx");
    const names = readZip(body).map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(["[Content_Types].xml", "word/document.xml"]));
  });

  it("contains the title, metadata, summary and timestamped segments", async () => {
    const xml = await documentXml(makeTranscript());
    const text = visibleText(xml);
    expect(text).toContain("Weekly sync");
    expect(text).toContain("2024-05-01 14:03 UTC");
    expect(text).toContain("1:02:07");
    expect(text).toContain("local-whisper-tiny.en");
    expect(text).toContain("Summary");
    expect(text).toContain("A short greeting.");
    expect(text).toContain("Transcript");
    expect(text).toContain("[0:00] Hello there.");
    expect(text).toContain("[0:05] Obi-Wan: General Kenobi!");
    expect(text).toContain("[1:02:05] Back later.");
    expect(xml).toContain('w:val="Heading1"');
    expect(xml).toMatch(/<w:color w:val="808080"\/>/);
  });

  it("escapes XML special characters", async () => {
    const words = 'Use <tag> & "quotes" here';
    const xml = await documentXml(
      makeTranscript({ title: "A & B <draft>", text: words, segments: [{ start: 5, end: 6, text: words }] }),
    );
    expect(xml).toContain("Use &lt;tag&gt; &amp; &quot;quotes&quot; here");
    expect(xml).not.toContain("<tag>");
    expect(xml).not.toContain("<draft>");
    const text = visibleText(xml);
    expect(text).toContain("A & B <draft>");
    expect(text).toContain(`[0:05] ${words}`);
  });

  it("drops characters XML cannot hold", async () => {
    const xml = await documentXml(
      makeTranscript({
        segments: [],
        text: "bell\u0007, nul\u0000 and \uFFFE\uFFFF gone",
        summary: "x\uFFFFy",
      }),
    );
    expect(xml).not.toMatch(/[\u0000-\u0008\uFFFE\uFFFF]/);
    expect(visibleText(xml)).toContain("bell, nul and  gone");
    expect(visibleText(xml)).toContain("xy");
  });

  it("prefers the edited text over segments that no longer match", async () => {
    const xml = await documentXml(
      makeTranscript({ text: "Hello there, edited.\n\nSecond paragraph.", summary: undefined }),
    );
    const text = visibleText(xml);
    expect(text).toContain("Hello there, edited.");
    expect(text).toContain("Second paragraph.");
    expect(text).not.toContain("[0:05]");
    expect(text).not.toContain("General Kenobi!");
    expect(text).not.toContain("Summary");
    expect(xml.match(/<w:p[ >]/g)?.length).toBeGreaterThanOrEqual(8);
  });

  it("uses segments when the text only differs in whitespace", async () => {
    const text = visibleText(
      await documentXml(makeTranscript({ text: "  Hello there.\nGeneral   Kenobi!\n\nBack later. " })),
    );
    expect(text).toContain("[0:05] Obi-Wan: General Kenobi!");
  });
});

describe("export file names", () => {
  it.each([
    ["Weekly sync", "weekly-sync"],
    ["Café: Q3/Q4 ../../etc/passwd", "cafe-q3-q4-etc-passwd"],
    ["..", "transcript"],
    ["日本語の会議", "transcript"],
    ["", "transcript"],
    ["a\\b\u0000c\r\nd", "a-b-c-d"],
    ["--Ünïcödé--", "unicode"],
  ])("slugs %j to %j", async (title, slug) => {
    const { fileName } = await renderExport(makeTranscript({ title }), "txt");
    expect(fileName).toBe(`${slug}.txt`);
  });

  it("limits the slug to 80 characters without a trailing dash", async () => {
    const title = `${"a".repeat(79)} ${"b".repeat(50)}`;
    const { fileName } = await renderExport(makeTranscript({ title }), "vtt");
    expect(fileName).toBe(`${"a".repeat(79)}.vtt`);
  });

  it("always yields a safe ASCII name with the format's extension", async () => {
    for (const format of exportFormats) {
      const { fileName } = await renderExport(makeTranscript({ title: "../Über/<script>…" }), format);
      expect(fileName).toMatch(new RegExp(`^[a-z0-9]+(-[a-z0-9]+)*\\.${format}$`));
      expect(fileName).toBe(`uber-script.${format}`);
    }
  });
});

describe("speakers in every export", () => {
  const conversation = makeTranscript({
    text: "Hello there. General Kenobi! You are a bold one.",
    segments: [
      { start: 0, end: 2.5, text: "Hello there.", speaker: "Obi-Wan" },
      { start: 3, end: 4, text: "General Kenobi!", speaker: "Grievous" },
      { start: 4, end: 6, text: "You are a bold one.", speaker: "Grievous" },
    ],
    summary: undefined,
  });

  it("prefixes each turn with its speaker's name in TXT", async () => {
    expect(await renderText(conversation, "txt")).toBe(
      "Weekly sync\n\nObi-Wan: Hello there.\n\nGrievous: General Kenobi! You are a bold one.\n",
    );
  });

  it("keeps the edited text in TXT when the segments do not spell it out", async () => {
    const edited = { ...conversation, text: "Words typed after the segments." };
    expect(await renderText(edited, "txt")).toBe("Weekly sync\n\nWords typed after the segments.\n");
  });

  it("leaves TXT as the text when no segment has a speaker", async () => {
    const plain = makeTranscript({
      text: "Hello there.\nGeneral Kenobi!",
      segments: [
        { start: 0, end: 2.5, text: "Hello there." },
        { start: 3, end: 4, text: "General Kenobi!" },
      ],
      summary: undefined,
    });
    expect(await renderText(plain, "txt")).toBe("Weekly sync\n\nHello there.\nGeneral Kenobi!\n");
  });

  it("names the speaker of every SRT cue and uses voice spans in VTT", async () => {
    const srt = await renderText(conversation, "srt");
    expect(srt).toContain("Obi-Wan: Hello there.");
    expect(srt).toContain("Grievous: General Kenobi!");
    expect(srt).toContain("Grievous: You are a bold one.");
    const vtt = await renderText(conversation, "vtt");
    expect(vtt).toContain("<v Obi-Wan>Hello there.");
    expect(vtt).toContain("<v Grievous>You are a bold one.");
  });

  it("keeps each segment's speaker name in JSON", async () => {
    const json = JSON.parse(await renderText(conversation, "json")) as Transcript;
    expect(json.segments.map((segment) => segment.speaker)).toEqual(["Obi-Wan", "Grievous", "Grievous"]);
  });

  it("writes the speaker before each timed line in DOCX", async () => {
    const text = visibleText(await documentXml(conversation));
    expect(text).toContain("Obi-Wan: Hello there.");
    expect(text).toContain("Grievous: General Kenobi!");
  });

  it("keeps one CSV record per line (the text column is the text as saved)", async () => {
    const records = parseCsv(renderTranscriptsCsv([conversation]));
    expect(records[1]?.[6]).toBe(conversation.text);
  });
});
