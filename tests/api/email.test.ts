// POST /api/transcriptions/:id/email with each provider: the outbox (default), a real SMTP
// conversation with an in-process server, and Resend's HTTP API faked locally.
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerEnvelope, type SMTPServerOptions } from "smtp-server";
import { POST as emailRoute } from "@/app/api/transcriptions/[id]/email/route";
import { GET as getTranscriptRoute } from "@/app/api/transcriptions/[id]/route";
import { GET as exportRoute } from "@/app/api/transcriptions/[id]/export/route";
import { GET as outboxRoute } from "@/app/api/outbox/route";
import { GET as outboxMessageRoute } from "@/app/api/outbox/[id]/route";
import { configure, readFixture, upload, waitForJob } from "../helpers/api";
import { runProviderChecks } from "@/lib/services/provider-checks";
import { closedPort } from "../helpers/fake-openai";
import { FakeResend } from "../helpers/fake-resend";
import { addresses } from "../helpers/mail";

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const recipient = "someone@example.com";
const originalLogLevel = process.env.LOG_LEVEL;
let workDir: string;
let id: string;
let clientCounter = 0;

/** A client address no other test used, so the per-client limit starts afresh. */
function freshClient(): string {
  return `198.51.100.${++clientCounter}`;
}

function postEmail(
  body: unknown,
  options: { transcriptId?: string; client?: string; raw?: boolean } = {},
): Promise<Response> {
  const transcriptId = options.transcriptId ?? id;
  return emailRoute(
    new Request(`http://localhost/api/transcriptions/${transcriptId}/email`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-client-address": options.client ?? freshClient() },
      body: options.raw ? (body as string) : JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: transcriptId }) },
  );
}

async function expectError(response: Response, status: number, code: string): Promise<string> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
  expect(body.error.message.length).toBeGreaterThan(10);
  expect(body.error.message).not.toMatch(/at .*\.(ts|js):\d+|\[object Object\]/);
  return body.error.message;
}

async function savedTranscript(): Promise<Record<string, unknown>> {
  const response = await getTranscriptRoute(new Request(`http://localhost/api/transcriptions/${id}`), {
    params: Promise.resolve({ id }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { transcript: Record<string, unknown> }).transcript;
}

async function txtExport(): Promise<Buffer> {
  const response = await exportRoute(
    new Request(`http://localhost/api/transcriptions/${id}/export?format=txt`),
    {
      params: Promise.resolve({ id }),
    },
  );
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** Collects everything the process writes to stdout and stderr while `run` runs. */
async function captureOutput(run: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return true;
  };
  const out = jest.spyOn(process.stdout, "write").mockImplementation(capture as typeof process.stdout.write);
  const err = jest.spyOn(process.stderr, "write").mockImplementation(capture as typeof process.stderr.write);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written.join("");
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-email-"));
  await configure({ DATA_DIR: path.join(workDir, "data"), EMAIL_PROVIDER: undefined });
  const response = await upload(readFixture("jfk.wav"), { name: "jfk.wav", fields: { language: "en-US" } });
  expect(response.status).toBe(202);
  id = ((await response.json()) as { id: string }).id;
  const { body } = await waitForJob(id);
  expect(body.status).toBe("succeeded");
});

afterAll(async () => {
  await configure({ DATA_DIR: undefined });
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("e-mail to the outbox (default provider)", () => {
  it("answers 202, lists the message and serves it as message/rfc822", async () => {
    const response = await postEmail({ to: recipient });
    expect(response.status).toBe(202);
    const sent = (await response.json()) as { id: string; status: string };
    expect(sent.status).toBe("sent");
    expect(sent.id).toMatch(/^[0-9]{13}-[0-9a-f]{8}$/);

    const listing = await outboxRoute(new Request("http://localhost/api/outbox"), {});
    expect(listing.status).toBe(200);
    const { items } = (await listing.json()) as { items: Array<{ id: string; subject: string; to: string }> };
    expect(items[0]).toMatchObject({ id: sent.id, subject: "Transcript: jfk", to: recipient });

    const file = await outboxMessageRoute(new Request(`http://localhost/api/outbox/${sent.id}`), {
      params: Promise.resolve({ id: sent.id }),
    });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("message/rfc822");
    expect(file.headers.get("content-disposition")).toContain(`${sent.id}.eml`);
    const parsed = await simpleParser(Buffer.from(await file.arrayBuffer()));
    expect(addresses(parsed.to)).toEqual([recipient]);
    expect(parsed.subject).toBe("Transcript: jfk");
    const transcript = await savedTranscript();
    expect(parsed.text).toContain(transcript.text as string);
    expect(parsed.text).toContain("Engine: ");
    expect(parsed.attachments.map((a) => a.contentType)).toEqual(["text/plain", docxType]);
    expect(parsed.attachments[0]!.content.equals(await txtExport())).toBe(true);
  });

  it.each([
    ["a word", { to: "nope" }, /to: .*valid e-mail address/],
    ["an empty string", { to: "" }, /to: .*valid e-mail address/],
    ["a domain without a dot", { to: "a@b" }, /to: .*valid e-mail address/],
    ["a 300-character address", { to: `${"x".repeat(288)}@example.com` }, /to: .*too long/],
    ["no `to` at all", {}, /to: /],
  ])("refuses %s with 400 and a readable message", async (_label, body, message) => {
    expect(await expectError(await postEmail(body), 400, "validation_failed")).toMatch(message);
  });

  it("refuses a body that is not JSON", async () => {
    const message = await expectError(
      await postEmail("to=someone@example.com", { raw: true }),
      400,
      "bad_request",
    );
    expect(message).toMatch(/JSON/);
  });

  it("answers 404 for an unknown transcript and 400 for a malformed id", async () => {
    await expectError(
      await postEmail({ to: recipient }, { transcriptId: "0000000000000000a" }),
      404,
      "not_found",
    );
    await expectError(
      await postEmail({ to: recipient }, { transcriptId: "..%2F..%2Fetc" }),
      400,
      "validation_failed",
    );
  });

  it("answers 400 and 404 for outbox ids that are malformed or unknown", async () => {
    const get = (messageId: string) =>
      outboxMessageRoute(new Request(`http://localhost/api/outbox/x`), {
        params: Promise.resolve({ id: messageId }),
      });
    await expectError(await get("../../etc/passwd"), 400, "validation_failed");
    await expectError(await get("0000000000000-deadbeef"), 404, "not_found");
  });

  describe("with EMAIL_RATE_LIMIT_PER_HOUR=2", () => {
    beforeAll(() => configure({ EMAIL_RATE_LIMIT_PER_HOUR: "2" }));
    afterAll(() => configure({ EMAIL_RATE_LIMIT_PER_HOUR: undefined }));

    it("limits each client address to two e-mails an hour", async () => {
      const client = freshClient();
      expect((await postEmail({ to: recipient }, { client })).status).toBe(202);
      expect((await postEmail({ to: recipient }, { client })).status).toBe(202);
      const before = (await (await outboxRoute(new Request("http://localhost/api/outbox"), {})).json()) as {
        items: unknown[];
      };
      const message = await expectError(await postEmail({ to: recipient }, { client }), 429, "rate_limited");
      expect(message).toMatch(/Try again in \d+ min/);
      const after = (await (await outboxRoute(new Request("http://localhost/api/outbox"), {})).json()) as {
        items: unknown[];
      };
      expect(after.items).toHaveLength(before.items.length);
      // Another client is not affected.
      expect((await postEmail({ to: recipient }, { client: freshClient() })).status).toBe(202);
    });
  });

  describe("with LOG_LEVEL=info", () => {
    beforeAll(() => configure({ LOG_LEVEL: "info" }));
    afterAll(() => configure({ LOG_LEVEL: originalLogLevel }));

    it("logs the send with the address masked, never in full", async () => {
      let status = 0;
      const output = await captureOutput(async () => {
        status = (await postEmail({ to: recipient })).status;
      });
      expect(status).toBe(202);
      expect(output).toContain("transcript e-mailed");
      expect(output).toContain("s***@example.com");
      expect(output).not.toContain(recipient);
    });
  });
});

describe("e-mail over SMTP", () => {
  interface Received {
    envelope: SMTPServerEnvelope;
    parsed: ParsedMail;
  }

  async function startSmtp(options: SMTPServerOptions = {}) {
    const received: Received[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          simpleParser(Buffer.concat(chunks))
            .then((parsed) => {
              received.push({ envelope: session.envelope, parsed });
              callback();
            })
            .catch(callback);
        });
      },
      ...options,
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.server.address() as AddressInfo;
    return {
      port,
      received,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  afterAll(() =>
    configure({
      EMAIL_PROVIDER: undefined,
      SMTP_HOST: undefined,
      SMTP_PORT: undefined,
      SMTP_USER: undefined,
      SMTP_PASSWORD: undefined,
      LOG_LEVEL: originalLogLevel,
    }),
  );

  it("delivers one message with the right recipient, subject and both attachments", async () => {
    const smtp = await startSmtp();
    try {
      await configure({ EMAIL_PROVIDER: "smtp", SMTP_HOST: "127.0.0.1", SMTP_PORT: String(smtp.port) });
      const response = await postEmail({ to: recipient });
      expect(response.status).toBe(202);
      expect(smtp.received).toHaveLength(1);
      const [{ envelope, parsed }] = smtp.received as [Received];
      expect(envelope.rcptTo.map((r) => r.address)).toEqual([recipient]);
      expect(envelope.mailFrom && envelope.mailFrom.address).toBe("transcribe@localhost");
      expect(addresses(parsed.to)).toEqual([recipient]);
      expect(parsed.subject).toBe("Transcript: jfk");
      expect(((await response.json()) as { id: string }).id).toBe(parsed.messageId);
      expect(parsed.text).toContain((await savedTranscript()).text as string);
      expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        ["jfk.txt", "text/plain"],
        ["jfk.docx", docxType],
      ]);
      expect(parsed.attachments[0]!.content.equals(await txtExport())).toBe(true);
      expect(parsed.attachments[1]!.content.subarray(0, 2).toString("latin1")).toBe("PK");
    } finally {
      await smtp.close();
    }
  });

  it("answers 502 email_failed when the server rejects the login, and keeps the transcript", async () => {
    const smtp = await startSmtp({
      authOptional: false,
      authMethods: ["PLAIN", "LOGIN"],
      allowInsecureAuth: true,
      onAuth(_auth, _session, callback) {
        callback(new Error("Invalid username or password"));
      },
    });
    try {
      await configure({
        EMAIL_PROVIDER: "smtp",
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(smtp.port),
        SMTP_USER: "transcribe",
        SMTP_PASSWORD: "wrong-password",
      });
      const before = await savedTranscript();
      const message = await expectError(await postEmail({ to: recipient }), 502, "email_failed");
      expect(message).toMatch(/rejected the login/);
      expect(message).toMatch(/transcript is unchanged/);
      expect(message).not.toContain("wrong-password");
      expect(smtp.received).toHaveLength(0);
      expect(await savedTranscript()).toEqual(before);
    } finally {
      await smtp.close();
      await configure({ SMTP_USER: undefined, SMTP_PASSWORD: undefined });
    }
  });

  it("checks the server and the login at start-up without sending anything", async () => {
    const smtp = await startSmtp({
      authOptional: false,
      authMethods: ["PLAIN", "LOGIN"],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.password === "right-password") callback(null, { user: auth.username });
        else callback(new Error("Invalid username or password"));
      },
    });
    try {
      const settings = {
        EMAIL_PROVIDER: "smtp",
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(smtp.port),
        SMTP_USER: "transcribe",
      };
      const accepted = await configure({ ...settings, SMTP_PASSWORD: "right-password" });
      await runProviderChecks(accepted);
      expect(accepted.checks.get("email")).toEqual({ reachable: true });

      const refused = await configure({ ...settings, SMTP_PASSWORD: "wrong-password" });
      await runProviderChecks(refused);
      const check = refused.checks.get("email");
      expect(check).toMatchObject({ reachable: false });
      expect(check?.error).toMatch(/refused the login: check SMTP_USER and SMTP_PASSWORD/);
      expect(check?.error).not.toContain("wrong-password");
      expect(smtp.received).toHaveLength(0);
    } finally {
      await smtp.close();
      await configure({ SMTP_USER: undefined, SMTP_PASSWORD: undefined });
    }
  });

  it("answers 502 quickly when no server listens", async () => {
    await configure({
      EMAIL_PROVIDER: "smtp",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(await closedPort()),
    });
    const started = Date.now();
    const message = await expectError(await postEmail({ to: recipient }), 502, "email_failed");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(message).toMatch(/could not be reached/);
  });

  // Bug: when a mail server refuses the recipient, its reply usually quotes the address
  // ("550 5.1.1 <someone@example.com>: Recipient address rejected"). withErrors logs every
  // failure of 500 and above with the provider's error text as `cause` (lib/http/route.ts lines
  // 19-24, describeCause at line 47), so the full address ends up in the log, against the
  // promise in lib/services/email.ts and lib/log. Fix in lib/http/route.ts, describeCause:
  // mask addresses before logging, e.g. end it with
  // `.replace(/[^\s<>"'(),;:@]+@[^\s<>"'(),;:]+\.[^\s<>"'(),;:]+/g, (address) => maskEmail(address))`
  // (maskEmail from lib/util/mask-email.ts).
  it("does not log the full address when the server refuses the recipient", async () => {
    const smtp = await startSmtp({
      onRcptTo(address, _session, callback) {
        const error = new Error(
          `5.1.1 <${address.address}>: Recipient address rejected: User unknown in virtual mailbox table`,
        ) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      },
    });
    try {
      await configure({
        EMAIL_PROVIDER: "smtp",
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(smtp.port),
        LOG_LEVEL: "info",
      });
      let response: Response | undefined;
      const output = await captureOutput(async () => {
        response = await postEmail({ to: recipient });
      });
      expect(await expectError(response!, 502, "email_failed")).toMatch(/refused the message \(550\)/);
      expect(output).toContain("request failed");
      expect(output).not.toContain(recipient);
    } finally {
      await smtp.close();
      await configure({ LOG_LEVEL: originalLogLevel });
    }
  });
});

describe("e-mail with Resend", () => {
  const apiKey = "re_test_0123456789abcdef";
  let resend: FakeResend;

  beforeAll(async () => {
    resend = await FakeResend.start(apiKey);
    await configure({ EMAIL_PROVIDER: "resend", RESEND_API_KEY: apiKey, RESEND_BASE_URL: resend.url });
  });

  afterAll(async () => {
    await configure({ EMAIL_PROVIDER: undefined, RESEND_API_KEY: undefined, RESEND_BASE_URL: undefined });
    await resend.close();
  });

  beforeEach(() => {
    resend.requests.length = 0;
    resend.failure = null;
  });

  it("posts the message to /emails with the bearer key and base64 attachments", async () => {
    const response = await postEmail({ to: recipient });
    expect(response.status).toBe(202);
    expect(resend.requests).toHaveLength(1);
    const request = resend.requests[0]!;
    expect(((await response.json()) as { id: string }).id).toBe(request.id);
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/emails");
    expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request.headers["content-type"]).toMatch(/^application\/json/);
    const body = request.body!;
    expect(body).toMatchObject({
      from: "Transcribe <transcribe@localhost>",
      to: [recipient],
      subject: "Transcript: jfk",
    });
    const transcript = await savedTranscript();
    expect(body.text).toContain(transcript.text as string);
    expect(body.html).toContain("<h1");
    expect(body.attachments?.map((a) => a.filename)).toEqual(["jfk.txt", "jfk.docx"]);
    const [txt, docx] = body.attachments!.map((a) => Buffer.from(a.content, "base64"));
    expect(txt!.equals(await txtExport())).toBe(true);
    expect(docx!.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(body.attachments![1]!.content_type).toBe(docxType);
  });

  it("answers 502 email_failed with Resend's reason when it refuses, and keeps the transcript", async () => {
    resend.failure = {
      statusCode: 422,
      name: "validation_error",
      message: "The example.com domain is not verified. Please, add and verify your domain.",
    };
    const before = await savedTranscript();
    const message = await expectError(await postEmail({ to: recipient }), 502, "email_failed");
    expect(message).toContain("The example.com domain is not verified");
    expect(message).toMatch(/transcript is unchanged/);
    expect(message).not.toContain(apiKey);
    expect(resend.requests).toHaveLength(1);
    expect(await savedTranscript()).toEqual(before);
  });

  // Bug: Resend's messages end with a full stop and the sender appends ". The transcript is
  // unchanged.", so people read "...verify your domain.. The transcript is unchanged." Fix in
  // lib/email/resend/resend-sender.ts line 39: strip the reason's final punctuation,
  // `: ${result.error.message.trim().replace(/[.!?]+$/, "")}`.
  it("quotes Resend's reason without doubling its full stop", async () => {
    resend.failure = { statusCode: 422, name: "validation_error", message: "Invalid `to` field." };
    const message = await expectError(await postEmail({ to: recipient }), 502, "email_failed");
    expect(message).toContain("Invalid `to` field");
    expect(message).not.toMatch(/\.\./);
  });

  // Bug: the resend package never throws on network failures; it resolves with
  // { error: { name: "application_error", statusCode: null, message: "Unable to fetch data. ..." } }.
  // So the `catch` in lib/email/resend/resend-sender.ts (lines 29-37) is dead and an unreachable
  // service is reported as "The e-mail service refused the message: Unable to fetch data...",
  // which sends people looking for a content problem. Fix after line 37: if
  // `result.error && result.error.statusCode == null` throw the "could not be reached" AppError
  // that the catch block builds.
  it("says the service could not be reached when nothing listens", async () => {
    await configure({ RESEND_BASE_URL: `http://127.0.0.1:${await closedPort()}` });
    try {
      const message = await expectError(await postEmail({ to: recipient }), 502, "email_failed");
      expect(message).toMatch(/could not be reached/);
    } finally {
      await configure({ RESEND_BASE_URL: resend.url });
    }
  });
});
