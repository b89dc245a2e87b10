// A local stand-in for a chat-completions service (Azure OpenAI and OpenAI-compatible servers),
// speaking their wire format over real HTTP: JSON completions, SSE streams and error bodies.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer, listenOnLoopback } from "./loopback-server";

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (undefined when the body was not JSON). */
  body: ChatRequestBody | undefined;
}

/** The parts of a chat-completions request body the tests look at. */
export interface ChatRequestBody {
  model?: string;
  messages: Array<{ role: string; content: string }>;
  stream?: boolean;
  temperature?: number;
  [key: string]: unknown;
}

/** What the fake answers: a completion (its content cut into stream deltas) or an HTTP error. */
export type FakeReply =
  { content: string | string[] } | { status: number; message?: string; headers?: Record<string, string> };

export type FakeHandler = (request: RecordedRequest, index: number) => FakeReply;

const azurePath = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

/** The deltas a default reply is streamed as. */
export const defaultDeltas = [
  "Overview: ",
  "President Kennedy asks ",
  "Americans to serve their country.",
  "\n\nKey points:\n- ",
  "Ask what you can do for your country.",
];

export class FakeChatService {
  readonly requests: RecordedRequest[] = [];
  /** Decides each answer; tests replace it. */
  handler: FakeHandler = () => ({ content: defaultDeltas });
  private counter = 0;

  private constructor(
    private readonly server: http.Server,
    /** `http://127.0.0.1:PORT` */
    readonly url: string,
  ) {}

  static async start(): Promise<FakeChatService> {
    const { server, url } = await listenOnLoopback();
    const fake = new FakeChatService(server, url);
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
      void fake.handle(request, response);
    });
    return fake;
  }

  /** Forgets recorded requests and goes back to the default answer. */
  reset(): void {
    this.requests.length = 0;
    this.handler = () => ({ content: defaultDeltas });
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", this.url);
    let body: ChatRequestBody | undefined;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = {
      method: request.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body,
    };
    this.requests.push(recorded);

    const azure = azurePath.exec(url.pathname);
    const known = azure
      ? Boolean(url.searchParams.get("api-version"))
      : url.pathname === "/v1/chat/completions";
    if (request.method !== "POST" || !known) {
      // What Azure and OpenAI answer for an unknown route.
      return sendJson(response, 404, { error: { code: "404", message: "Resource not found" } });
    }
    if (!body || !Array.isArray(body.messages) || body.messages.length === 0) {
      return sendJson(response, 400, {
        error: {
          message: "'messages' is a required property",
          type: "invalid_request_error",
          param: "messages",
          code: null,
        },
      });
    }

    const reply = this.handler(recorded, this.requests.length - 1);
    if ("status" in reply) {
      const type =
        reply.status === 429
          ? "rate_limit_exceeded"
          : reply.status === 401
            ? "invalid_request_error"
            : "server_error";
      response.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers });
      response.end(
        JSON.stringify({
          error: {
            message: reply.message ?? `The fake answered ${reply.status}.`,
            type,
            param: null,
            code: reply.status === 401 ? "invalid_api_key" : String(reply.status),
          },
        }),
      );
      return;
    }

    const id = `chatcmpl-${++this.counter}`;
    const created = Math.floor(Date.now() / 1000);
    const model = azure ? azure[1]! : (body.model ?? "unknown");
    const deltas = Array.isArray(reply.content) ? reply.content : [reply.content];
    if (!body.stream) {
      const content = deltas.join("");
      return sendJson(response, 200, {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [
          { index: 0, message: { role: "assistant", content }, finish_reason: "stop", logprobs: null },
        ],
        usage: {
          prompt_tokens: Math.ceil(raw.length / 4),
          completion_tokens: Math.ceil(content.length / 4),
          total_tokens: Math.ceil((raw.length + content.length) / 4),
        },
      });
    }

    response.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
    });
    const event = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: Record<string, string>, finish: string | null) =>
      event({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      });
    // Azure opens its streams with a chunk carrying only the prompt filter results (no choices).
    if (azure) {
      event({ id: "", object: "", created: 0, model: "", choices: [], prompt_filter_results: [] });
    }
    chunk({ role: "assistant", content: "" }, null);
    for (const delta of deltas) {
      chunk({ content: delta }, null);
      // Lets each delta leave as its own network write.
      await new Promise((resolve) => setImmediate(resolve));
    }
    chunk({}, "stop");
    response.end("data: [DONE]\n\n");
  }
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
