// A local stand-in for Resend's HTTP API (POST /emails), answering as Resend does:
// 200 { id } on success, { statusCode, name, message } with that status on errors.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { closeServer, listenOnLoopback } from "./loopback-server";

/** The body Resend's API takes for `POST /emails` (the fields the app uses). */
export interface ResendEmailBody {
  from: string;
  to: string | string[];
  subject: string;
  html?: string;
  text?: string;
  attachments?: Array<{ filename: string; content: string; content_type?: string }>;
  [key: string]: unknown;
}

export interface ResendRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: ResendEmailBody | undefined;
  /** The id answered, when the message was accepted. */
  id?: string;
}

/** An error as Resend reports it. */
export interface ResendFailure {
  statusCode: number;
  name: string;
  message: string;
}

export class FakeResend {
  readonly requests: ResendRequest[] = [];
  /** When set, every request is answered with this error. */
  failure: ResendFailure | null = null;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly apiKey: string,
  ) {}

  static async start(apiKey: string): Promise<FakeResend> {
    const { server, url } = await listenOnLoopback();
    const fake = new FakeResend(server, url, apiKey);
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
      void fake.handle(request, response);
    });
    return fake;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: ResendEmailBody | undefined;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ResendEmailBody;
    } catch {
      body = undefined;
    }
    const path = new URL(request.url ?? "/", this.url).pathname;
    const recorded: ResendRequest = { method: request.method ?? "", path, headers: request.headers, body };
    this.requests.push(recorded);

    const fail = (failure: ResendFailure) => {
      response.writeHead(failure.statusCode, { "Content-Type": "application/json" });
      response.end(JSON.stringify(failure));
    };
    if (request.method !== "POST" || path !== "/emails") {
      return fail({ statusCode: 404, name: "not_found", message: "The requested endpoint does not exist." });
    }
    const authorization = request.headers.authorization;
    if (!authorization) {
      return fail({
        statusCode: 401,
        name: "missing_api_key",
        message: "Missing API key in the authorization header.",
      });
    }
    if (authorization !== `Bearer ${this.apiKey}`) {
      return fail({ statusCode: 403, name: "invalid_api_key", message: "API key is invalid" });
    }
    if (!body) {
      return fail({ statusCode: 422, name: "validation_error", message: "Invalid JSON body." });
    }
    for (const field of ["from", "to", "subject"] as const) {
      if (!body[field] || (Array.isArray(body[field]) && body[field].length === 0)) {
        return fail({
          statusCode: 422,
          name: "missing_required_field",
          message: `Missing \`${field}\` field.`,
        });
      }
    }
    if (this.failure) return fail(this.failure);
    recorded.id = randomUUID();
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ id: recorded.id }));
  }
}
