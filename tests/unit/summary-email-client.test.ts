import { ApiRequestError } from "@/lib/client/request";
import { INCOMPLETE_SUMMARY_MESSAGE, streamSummary } from "@/lib/client/summaries";
import { addressProblem, serverAddressProblem } from "@/components/email/address";
import { splitStreamed } from "@/components/summary/summary-stream";

const realFetch = global.fetch;

/** Answers the next fetch with `chunks` as a streamed body. */
function respondWith(chunks: string[], init: ResponseInit = {}) {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  const fetchMock = jest.fn(async () => new Response(body, init));
  global.fetch = fetchMock as unknown as typeof fetch;
  return fetchMock;
}

const ndjson = { headers: { "Content-Type": "application/x-ndjson; charset=utf-8" } };

afterEach(() => {
  global.fetch = realFetch;
});

describe("streamSummary", () => {
  it("asks for NDJSON, passes deltas on in order and resolves with the saved summary", async () => {
    // Events split across chunks at awkward places, as a network delivers them.
    const fetchMock = respondWith(
      [
        '{"type":"delta","text":"Overview: "}\n{"type":"del',
        'ta","text":"ask not."}\n',
        '{"type":"done","summary":"Overview: ask not.","etag":"W/\\"2\\""}\n',
      ],
      ndjson,
    );
    const deltas: string[] = [];
    const result = await streamSummary("abc", { onDelta: (text) => deltas.push(text) });
    expect(deltas).toEqual(["Overview: ", "ask not."]);
    expect(result).toEqual({ summary: "Overview: ask not.", etag: 'W/"2"' });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/transcriptions/abc/summary");
    expect(init.method).toBe("POST");
    expect((init.headers as Record<string, string>).Accept).toContain("application/x-ndjson");
  });

  it("turns an error event into an ApiRequestError with the server's message and code", async () => {
    respondWith(
      [
        '{"type":"delta","text":"Over"}\n',
        '{"type":"error","code":"summary_unavailable","message":"Busy."}\n',
      ],
      ndjson,
    );
    const failure = await streamSummary("abc").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiRequestError);
    expect((failure as ApiRequestError).message).toBe("Busy.");
    expect((failure as ApiRequestError).code).toBe("summary_unavailable");
  });

  it("reads the JSON error envelope sent before streaming starts", async () => {
    respondWith(['{"error":{"code":"not_found","message":"No transcription has this id."}}'], {
      status: 404,
      headers: { "Content-Type": "application/json" },
    });
    const failure = (await streamSummary("abc").catch((error: unknown) => error)) as ApiRequestError;
    expect(failure.status).toBe(404);
    expect(failure.message).toBe("No transcription has this id.");
  });

  it("accepts a plain JSON answer from a server that does not stream", async () => {
    respondWith(['{"summary":"Short.","etag":"e1"}'], { headers: { "Content-Type": "application/json" } });
    await expect(streamSummary("abc")).resolves.toEqual({ summary: "Short.", etag: "e1" });
  });

  it("reports a stream that ends without a result", async () => {
    respondWith(['{"type":"delta","text":"Over"}\n'], ndjson);
    await expect(streamSummary("abc")).rejects.toThrow(INCOMPLETE_SUMMARY_MESSAGE);
  });
});

describe("splitStreamed", () => {
  it("keeps finished sentences apart from the unfinished tail", () => {
    expect(splitStreamed("Overview: ask not. Ask what")).toEqual({
      pieces: ["Overview: ask not. "],
      tail: "Ask what",
    });
    expect(splitStreamed("Key points:\n- One.\n- Tw")).toEqual({
      pieces: ["Key points:\n", "- One.\n"],
      tail: "- Tw",
    });
    // A full stop without the following space may still be an abbreviation or a number.
    expect(splitStreamed("It cost 3.5")).toEqual({ pieces: [], tail: "It cost 3.5" });
  });

  it("never changes a finished piece as more text arrives", () => {
    const text = "First one. Second “quoted.” Third!\nFourth";
    let previous: string[] = [];
    for (let i = 1; i <= text.length; i++) {
      const { pieces, tail } = splitStreamed(text.slice(0, i));
      expect(pieces.slice(0, previous.length)).toEqual(previous);
      expect(pieces.join("") + tail).toBe(text.slice(0, i));
      previous = pieces;
    }
  });
});

describe("addressProblem", () => {
  it.each(["someone@example.com", "first.last+tag@mail.example.co.uk", "  padded@example.org  "])(
    "accepts %s",
    (address) => expect(addressProblem(address)).toBeNull(),
  );

  it.each([
    ["", /enter the address/i],
    ["someone", /add an @/i],
    ["@example.com", /before the @/i],
    ["someone@", /domain after the @/i],
    ["someone@example", /not a complete domain/i],
    ["some one@example.com", /spaces/i],
    ["a@b@example.com", /only one @/i],
    ["a..b@example.com", /characters/i],
  ])("explains what is wrong with %j", (address, message) => {
    expect(addressProblem(address)).toMatch(message);
  });

  it("rephrases the server's validation message for the field", () => {
    expect(serverAddressProblem("to: is not a valid e-mail address")).toBe(
      "This address is not a valid e-mail address.",
    );
    expect(serverAddressProblem("Something else.")).toBe("Something else.");
  });
});
