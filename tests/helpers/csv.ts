/** Strict RFC 4180 parser: records end with CRLF; CR and LF are only allowed inside quotes. */
export function parseCsv(input: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  while (i < input.length) {
    if (input[i] === '"') {
      if (field !== "") throw new Error(`quote inside unquoted field at ${i}`);
      i++;
      for (;;) {
        if (i >= input.length) throw new Error("unterminated quoted field");
        if (input[i] === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += input[i];
        i++;
      }
      if (i < input.length && input[i] !== "," && input[i] !== "\r") {
        throw new Error(`unexpected character after closing quote at ${i}`);
      }
      continue;
    }
    const char = input[i];
    if (char === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (char === "\r") {
      if (input[i + 1] !== "\n") throw new Error(`bare CR outside quotes at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else if (char === "\n") {
      throw new Error(`bare LF outside quotes at ${i}`);
    } else {
      field += char;
      i++;
    }
  }
  if (field !== "" || record.length > 0) throw new Error("last record does not end with CRLF");
  return records;
}
