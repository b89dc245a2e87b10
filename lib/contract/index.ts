/**
 * The HTTP API's contract: zod schemas of every request and response, shared by the route
 * handlers and the browser client. Browser-safe: imports nothing but zod.
 */
import "./zod-config";
export * from "./auth";
export * from "./email";
export * from "./errors";
export * from "./health";
export * from "./ids";
export * from "./live";
export * from "./outbox";
export * from "./page";
export * from "./recordings";
export * from "./summaries";
export * from "./transcriptions";
export * from "./transcripts";
