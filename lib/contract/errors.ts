import { z } from "zod";

/**
 * The JSON body of every API failure: `{ error: { code, message } }`. The message is safe to show
 * to a person. The code is kept open (a string) so that a client tolerates codes it does not know.
 */
export const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;
