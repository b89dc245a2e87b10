import "./zod-config";
import { z } from "zod";

/** Body of `POST /api/transcriptions/:id/email`. */
export const emailRequestSchema = z.object({
  to: z.string().trim().max(254, "is too long").pipe(z.email("is not a valid e-mail address")),
});

export type EmailRequest = z.infer<typeof emailRequestSchema>;

/** Answer of `POST /api/transcriptions/:id/email` (202). */
export const emailResultSchema = z.object({ id: z.string(), status: z.literal("sent") });

export type EmailResult = z.infer<typeof emailResultSchema>;
