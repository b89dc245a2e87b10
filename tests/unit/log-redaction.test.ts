// What reaches the logs: secrets, content and full e-mail addresses never do; every line logged
// while serving a request carries its id.
import { logger, redactFields, redactText, REDACTED, runInRequestScope, setLogLevel } from "@/lib/log";

/** Every line `run` logs, parsed. */
function capture(run: () => void): Array<Record<string, unknown>> {
  const written: string[] = [];
  const write = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, "write").mockImplementation(write as typeof process.stdout.write);
  const err = jest.spyOn(process.stderr, "write").mockImplementation(write as typeof process.stderr.write);
  try {
    run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written
    .join("")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(() => setLogLevel("debug"));
afterAll(() => setLogLevel("silent"));

describe("log redaction", () => {
  it("drops secrets by field name, whatever their type", () => {
    const fields = redactFields({
      password: "hunter2",
      SMTP_PASSWORD: "pa55",
      apiKey: "sk-123",
      "api-key": "abc",
      key: "0123456789abcdef0123456789abcdef",
      accountKey: "base64==",
      token: 12345,
      authorization: "Bearer xyz",
      cookie: "session=abc",
      connectionString: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=secret;",
      clientSecret: "s3",
      nested: { secret: "deep", fine: "ok" },
    });
    expect(fields).toEqual({
      password: REDACTED,
      SMTP_PASSWORD: REDACTED,
      apiKey: REDACTED,
      "api-key": REDACTED,
      key: REDACTED,
      accountKey: REDACTED,
      token: REDACTED,
      authorization: REDACTED,
      cookie: REDACTED,
      connectionString: REDACTED,
      clientSecret: REDACTED,
      nested: { secret: REDACTED, fine: "ok" },
    });
  });

  it("never writes what people said or wrote: transcript text, segments, summaries, bodies", () => {
    const fields = redactFields({
      text: "And so, my fellow Americans",
      segments: [{ start: 0, end: 1, text: "And so" }],
      summary: "A speech.",
      body: "Dear Jane",
      subject: "Your transcript",
      transcriptId: "2d1zk5hl3lc6o40b4",
      durationSec: 11,
    });
    expect(JSON.stringify(fields)).not.toMatch(/Americans|And so|A speech|Dear Jane|Your transcript/);
    expect(fields.text).toBe(`${REDACTED} (27 chars)`);
    expect(fields.transcriptId).toBe("2d1zk5hl3lc6o40b4");
    expect(fields.durationSec).toBe(11);
  });

  it("masks e-mail addresses in address fields and anywhere in free text", () => {
    const fields = redactFields({
      to: "jane.doe@example.com",
      recipients: ["a.b@example.org", "c@example.net"],
      error: "550 5.1.1 <jane.doe@example.com>: Recipient address rejected",
      cause: new Error("mailbox bob@example.co.uk is full"),
    });
    const text = JSON.stringify(fields);
    expect(text).not.toMatch(/jane\.doe@|a\.b@|c@example\.net|bob@/);
    expect(fields.to).toBe("j***@example.com");
    expect(fields.recipients).toEqual(["a***@example.org", "c***@example.net"]);
    expect(fields.error).toBe("550 5.1.1 <j***@example.com>: Recipient address rejected");
    expect(fields.cause).toBe("Error: mailbox b***@example.co.uk is full");
  });

  it("removes secrets quoted inside error text", () => {
    const cases: Array<[string, string]> = [
      [
        "connect failed: DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNO==;BlobEndpoint=x",
        "AccountKey=Eby8vdM02xNO",
      ],
      ["GET https://acct.blob.core.windows.net/c/b?sv=2024&sig=abc%2Bdef&se=2026 failed", "abc%2Bdef"],
      ["request to /openai?api-version=1&api-key=0123abcd failed", "0123abcd"],
      ["401 with header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "eyJhbGciOiJIUzI1NiJ9"],
      ["header api-key: 0123456789abcdef rejected", "0123456789abcdef"],
      ["smtp://user:s3cretpw@mail.example.com:587 refused", "s3cretpw"],
      ["Set-Cookie: session=abcdef123456; Path=/", "abcdef123456"],
    ];
    for (const [input, secret] of cases) {
      const output = redactText(input);
      expect(output).not.toContain(secret);
      expect(output).toContain(REDACTED);
    }
  });

  it("caps long strings", () => {
    const output = redactText("x".repeat(10_000));
    expect(output.length).toBeLessThan(2100);
    expect(output).toMatch(/\(10000 chars\)$/);
  });

  it("applies all of this to what the logger writes, the message included", () => {
    const lines = capture(() => {
      logger.error("mail to jane.doe@example.com failed", {
        to: "jane.doe@example.com",
        password: "hunter2",
        text: "my fellow Americans",
        error: new Error("AccountKey=abc123;"),
      });
    });
    expect(lines).toHaveLength(1);
    const raw = JSON.stringify(lines[0]);
    expect(raw).not.toMatch(/jane\.doe|hunter2|Americans|abc123/);
    expect(lines[0]).toMatchObject({ level: "error", message: "mail to j***@example.com failed" });
  });
});

describe("request ids on log lines", () => {
  it("puts the request's id on every line logged inside its scope, and none outside", async () => {
    const lines = capture(() => {
      logger.info("before");
      runInRequestScope({ requestId: "req-12345678" }, () => {
        logger.info("inside");
        logger.warn("inside too", { detail: 1 });
      });
      logger.info("after");
    });
    expect(lines.map((line) => [line.message, line.requestId])).toEqual([
      ["before", undefined],
      ["inside", "req-12345678"],
      ["inside too", "req-12345678"],
      ["after", undefined],
    ]);
  });

  it("follows the request through awaits and timers it starts", async () => {
    const seen: unknown[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown) => {
      seen.push((JSON.parse(String(chunk)) as { requestId?: string }).requestId);
      return true;
    }) as typeof process.stdout.write);
    try {
      await Promise.all([
        runInRequestScope({ requestId: "req-aaaaaaaa" }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          logger.info("a");
        }),
        runInRequestScope({ requestId: "req-bbbbbbbb" }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          logger.info("b");
        }),
      ]);
    } finally {
      spy.mockRestore();
    }
    expect(seen).toEqual(["req-bbbbbbbb", "req-aaaaaaaa"]);
  });
});
