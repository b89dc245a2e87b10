import type { EmailMessage } from "@/lib/email/types";
import { describeSpeakerSetting } from "@/lib/domain/speakers";
import type { StoredTranscript } from "@/lib/domain/transcript";
import { formatTimestamp, renderExport, speakerText } from "./export";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function settingsRows(transcript: StoredTranscript, engineName: string): Array<[string, string]> {
  return [
    ["Date", new Date(transcript.createdAt).toUTCString()],
    ["Duration", formatTimestamp(transcript.durationSec, "clock")],
    ["Language", transcript.language],
    ["Speaker identification", describeSpeakerSetting(transcript.settings)],
    ["Engine", engineName],
  ];
}

/**
 * The e-mail for one transcript: subject, an HTML and a plain-text body with the summary (if
 * any), the settings and the transcript, and the transcript attached as TXT and DOCX.
 */
export async function buildTranscriptEmail(
  transcript: StoredTranscript,
  addresses: { from: string; to: string },
  engineName: string,
): Promise<EmailMessage> {
  const settings = settingsRows(transcript, engineName);
  const body = speakerText(transcript) ?? transcript.text;
  const paragraphs = body.split(/\n{2,}/).filter((p) => p.trim());
  const text = [
    transcript.title,
    "",
    ...(transcript.summary ? ["SUMMARY", transcript.summary, ""] : []),
    "SETTINGS",
    ...settings.map(([label, value]) => `${label}: ${value}`),
    "",
    "TRANSCRIPT",
    body,
    "",
    "The transcript is attached as TXT and DOCX.",
  ].join("\n");
  const cell = "padding:4px 12px 4px 0;color:#555;vertical-align:top";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(transcript.title)}</title></head>
<body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#111;line-height:1.5;max-width:720px;margin:0 auto;padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(transcript.title)}</h1>
${
  transcript.summary
    ? `<h2 style="font-size:16px;margin:24px 0 8px">Summary</h2>\n<div style="white-space:pre-wrap">${escapeHtml(transcript.summary)}</div>`
    : ""
}
<h2 style="font-size:16px;margin:24px 0 8px">Settings</h2>
<table style="border-collapse:collapse;font-size:14px">${settings
    .map(
      ([label, value]) =>
        `<tr><td style="${cell}">${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`,
    )
    .join("")}</table>
<h2 style="font-size:16px;margin:24px 0 8px">Transcript</h2>
${paragraphs.map((p) => `<p style="margin:0 0 12px;white-space:pre-wrap">${escapeHtml(p)}</p>`).join("\n")}
<p style="color:#777;font-size:12px;margin-top:24px">The transcript is attached as TXT and DOCX.</p>
</body></html>`;
  const [txt, docx] = await Promise.all([renderExport(transcript, "txt"), renderExport(transcript, "docx")]);
  return {
    from: addresses.from,
    to: addresses.to,
    subject: `Transcript: ${transcript.title}`,
    text,
    html,
    attachments: [
      { filename: txt.fileName, content: txt.body, contentType: "text/plain; charset=utf-8" },
      { filename: docx.fileName, content: docx.body, contentType: docx.contentType },
    ],
  };
}
