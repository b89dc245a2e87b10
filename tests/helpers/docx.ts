// Reads a .docx file (a ZIP of XML parts) far enough to see what Word would show.
import { inflateRawSync } from "node:zlib";

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** Reads a ZIP through its central directory, which has the sizes even when local headers defer them. */
export function readZip(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let offset = zip.length - 22; offset >= 0; offset--) {
    if (zip.readUInt32LE(offset) === 0x06054b50) {
      eocd = offset;
      break;
    }
  }
  if (eocd < 0) throw new Error("no end of central directory record");
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error("bad central directory entry");
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString("utf8", offset + 46, offset + 46 + nameLength);
    if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error("bad local file header");
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`unsupported compression method ${method}`);
    entries.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The main part of a .docx, `word/document.xml`. */
export function documentXml(docx: Buffer): string {
  const entry = readZip(docx).find((candidate) => candidate.name === "word/document.xml");
  if (!entry) throw new Error("word/document.xml missing");
  return entry.data.toString("utf8");
}

/** The text of each paragraph (`<w:p>`), its `<w:t>` runs joined and decoded. */
export function docxParagraphs(docx: Buffer): string[] {
  return [...documentXml(docx).matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((paragraph) =>
    visibleText(paragraph[0]),
  );
}

/** Joins the decoded text of every `<w:t>` run, so assertions see what Word shows. */
export function visibleText(xml: string): string {
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
    .map((match) => match[1] ?? "")
    .join("")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
