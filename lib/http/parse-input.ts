import type { ZodError, ZodType } from "zod";
import { AppError } from "@/lib/domain/errors";

/** Parses input with a zod schema, turning failures into a 400 `validation_failed` with a readable message. */
export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw appErrorFromZod(result.error);
  return result.data;
}

/** A zod failure as the error a person reads: each issue's path and message. */
export function appErrorFromZod(error: ZodError): AppError {
  const message = error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
  return new AppError("validation_failed", message || "The request is not valid.");
}
