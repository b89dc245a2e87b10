import { z } from "zod";

/**
 * In the browser, zod must not compile its parsers with `new Function`: the pages' CSP forbids
 * eval, and even zod's probe for it is reported as a violation. Every contract module imports
 * this before it builds a schema (zod decides when a schema is created). The server keeps the
 * compiled parsers.
 */
if (typeof window !== "undefined") z.config({ jitless: true });
