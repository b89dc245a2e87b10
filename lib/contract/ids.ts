import "./zod-config";
import { z } from "zod";

/** Id of a transcription, its transcript and its recording: 17 lowercase letters and digits. */
export const idSchema = z.string().regex(/^[0-9a-z]{17}$/, "is not a valid id");

/** Route parameters of `/api/transcriptions/:id/**` and `/api/recordings/:id/**`. */
export const idParamsSchema = z.object({ id: idSchema });

/** Id of a message kept by the outbox: creation time in milliseconds, a dash, 8 hex digits. */
export const outboxMessageIdSchema = z.string().regex(/^[0-9]{13}-[0-9a-f]{8}$/, "is not a message id");

/** Route parameters of `/api/outbox/:id`. */
export const outboxParamsSchema = z.object({ id: outboxMessageIdSchema });
