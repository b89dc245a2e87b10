import "./zod-config";
import { z } from "zod";

/**
 * The JSON body of every API failure: `{ error: { code, message, requestId? } }`. The message is
 * safe to show to a person. The code is kept open (a string) so that a client tolerates codes it
 * does not know. `requestId` (optional: older servers and direct calls have none) is the id the
 * server logged the request under, also sent as the `x-request-id` response header.
 */
export const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional() }),
});

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;
