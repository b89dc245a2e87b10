import { z } from "zod";
import { setLogLevel } from "@/lib/log";
import { AppError, errorStatus, toAppError, type ErrorEnvelope } from "@/lib/domain/errors";
import { parseInput, withErrors } from "@/lib/http/route";

const request = () => new Request("http://localhost/api/transcriptions/abc?x=1", { method: "POST" });

/** Runs `fail` inside a wrapped route handler and returns the HTTP answer. */
async function answer(fail: () => unknown): Promise<{ status: number; body: ErrorEnvelope; raw: string }> {
  const handler = withErrors(async () => {
    fail();
    return new Response("unreachable");
  });
  const response = await handler(request(), {});
  const raw = await response.text();
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  return { status: response.status, body: JSON.parse(raw) as ErrorEnvelope, raw };
}

describe("AppError", () => {
  it("maps each code to its status and a client-safe envelope", () => {
    const error = new AppError("payload_too_large", "The file is larger than 300 MB.");
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(413);
    expect(error.toEnvelope()).toEqual({
      error: { code: "payload_too_large", message: "The file is larger than 300 MB." },
    });
    expect(new AppError("not_found", "x").status).toBe(404);
    expect(new AppError("engine_unavailable", "x").status).toBe(503);
    for (const status of Object.values(errorStatus)) {
      expect(status >= 400 && status < 600).toBe(true);
    }
  });

  it("toAppError keeps app errors and hides everything else", () => {
    const known = new AppError("conflict", "Already saved.");
    expect(toAppError(known)).toBe(known);
    const cause = new TypeError("Cannot read properties of undefined (reading 'path')");
    const hidden = toAppError(cause);
    expect(hidden.code).toBe("internal");
    expect(hidden.status).toBe(500);
    expect(hidden.message).not.toContain("Cannot read");
    expect(hidden.cause).toBe(cause);
    expect(toAppError("a string").code).toBe("internal");
  });
});

describe("withErrors", () => {
  it("passes successful responses through untouched", async () => {
    const handler = withErrors(async (req: Request, context: { id: string }) =>
      Response.json({ method: req.method, id: context.id }, { status: 201 }),
    );
    const response = await handler(request(), { id: "r1" });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ method: "POST", id: "r1" });
  });

  it.each([
    ["not_found", 404],
    ["unsupported_media_type", 415],
    ["undecodable_audio", 422],
    ["rate_limited", 429],
    ["storage_unavailable", 503],
  ] as const)("turns AppError %s into status %i with the envelope", async (code, status) => {
    const result = await answer(() => {
      throw new AppError(code, `Explained for people: ${code}.`);
    });
    expect(result.status).toBe(status);
    expect(result.body).toEqual({ error: { code, message: `Explained for people: ${code}.` } });
  });

  it("answers an unexpected error with a generic 500 that leaks nothing", async () => {
    const secret = "ENOENT: no such file or directory, open '/srv/data/secret-user/recording.wav'";
    const result = await answer(() => {
      throw new Error(secret);
    });
    expect(result.status).toBe(500);
    expect(result.body.error.code).toBe("internal");
    expect(result.body.error.message).toMatch(/something went wrong/i);
    expect(Object.keys(result.body)).toEqual(["error"]);
    expect(Object.keys(result.body.error).sort()).toEqual(["code", "message"]);
    expect(result.raw).not.toContain("ENOENT");
    expect(result.raw).not.toContain("secret-user");
    expect(result.raw).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(result.raw).not.toContain("stack");
  });

  it("answers thrown non-errors the same way", async () => {
    const result = await answer(() => {
      throw "raw string with /etc/passwd";
    });
    expect(result.status).toBe(500);
    expect(result.body.error.code).toBe("internal");
    expect(result.raw).not.toContain("passwd");
  });

  it("turns a ZodError into 400 validation_failed naming the field", async () => {
    const schema = z.object({ language: z.string().min(2), speakers: z.number().int().max(10) });
    const result = await answer(() => schema.parse({ language: "e", speakers: 40 }));
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe("validation_failed");
    expect(result.body.error.message).toMatch(/^language: /);
    expect(result.body.error.message).toContain("; speakers: ");
  });

  it("logs the cause of a 500, but not in the response", async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      setLogLevel("error");
      const result = await answer(() => {
        throw new RangeError("offset out of range: 99");
      });
      await answer(() => {
        throw new AppError("not_found", "No transcription has this id.");
      });
      expect(result.raw).not.toContain("offset out of range");
      expect(lines).toHaveLength(1); // 4xx answers are not logged as errors
      const logged = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(logged).toMatchObject({
        level: "error",
        method: "POST",
        path: "/api/transcriptions/abc",
        code: "internal",
        cause: "RangeError: offset out of range: 99",
      });
    } finally {
      spy.mockRestore();
      setLogLevel("silent");
    }
  });
});

describe("parseInput", () => {
  const schema = z.object({
    language: z.string().default("auto"),
    diarize: z.enum(["true", "false"]).transform((value) => value === "true"),
  });

  it("returns the parsed, transformed value", () => {
    expect(parseInput(schema, { diarize: "true" })).toEqual({ language: "auto", diarize: true });
  });

  it("throws a 400 AppError with a readable message", () => {
    let thrown: unknown;
    try {
      parseInput(schema, { language: 5, diarize: "maybe" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const error = thrown as AppError;
    expect(error.code).toBe("validation_failed");
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/language: .*; diarize: /);
  });

  it("names no path for a top-level problem", () => {
    expect(() => parseInput(z.string(), 42)).toThrow(/^Invalid input/);
    expect(() => parseInput(z.string(), 42)).toThrow(AppError);
  });
});

describe("AppError across module copies", () => {
  it("is recognised when thrown by another copy of the module", () => {
    let isolated: typeof AppError | undefined;
    jest.isolateModules(() => {
      isolated = (jest.requireActual("@/lib/domain/errors") as { AppError: typeof AppError }).AppError;
    });
    expect(isolated).toBeDefined();
    expect(isolated).not.toBe(AppError);
    const foreign = new isolated!("email_failed", "The mail server could not be reached.");
    expect(foreign instanceof AppError).toBe(true);
    expect(toAppError(foreign)).toBe(foreign);
    expect(new Error("x") instanceof AppError).toBe(false);
  });
});
