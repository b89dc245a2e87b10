/**
 * Every API route and the methods it answers, as `app/api/**\/route.ts` exports them (a test
 * keeps the two in step). The server answers a method a route lacks with 405 and `Allow`, and an
 * unknown `/api/` path with a 404, both as the error envelope: Next.js would answer an empty 405
 * and an HTML page. A new route must be added here.
 */
export const apiRoutes: ReadonlyArray<{ path: string; methods: readonly string[] }> = [
  { path: "/api/auth/session", methods: ["GET"] },
  { path: "/api/auth/sign-in", methods: ["POST"] },
  { path: "/api/auth/sign-out", methods: ["POST"] },
  { path: "/api/health", methods: ["GET"] },
  { path: "/api/jobs", methods: ["GET"] },
  { path: "/api/outbox", methods: ["GET"] },
  { path: "/api/outbox/[id]", methods: ["GET"] },
  { path: "/api/recordings", methods: ["GET"] },
  { path: "/api/recordings/[id]", methods: ["DELETE"] },
  { path: "/api/recordings/[id]/audio", methods: ["GET"] },
  { path: "/api/transcriptions", methods: ["GET", "POST"] },
  { path: "/api/transcriptions/export.csv", methods: ["GET"] },
  { path: "/api/transcriptions/[id]", methods: ["GET", "PUT", "DELETE"] },
  { path: "/api/transcriptions/[id]/email", methods: ["POST"] },
  { path: "/api/transcriptions/[id]/export", methods: ["GET"] },
  { path: "/api/transcriptions/[id]/retry", methods: ["POST"] },
  { path: "/api/transcriptions/[id]/summary", methods: ["POST"] },
];

/** Methods Next.js answers by itself for every route: HEAD (for GET) and OPTIONS. */
function withImplicit(methods: readonly string[]): string[] {
  const all = new Set(methods);
  if (all.has("GET")) all.add("HEAD");
  all.add("OPTIONS");
  return [...all];
}

const compiled = apiRoutes.map((route) => ({
  // A static segment (export.csv) is listed before the dynamic one it would also match.
  pattern: new RegExp(`^${route.path.replace(/\./g, "\\.").replace(/\[[^\]]+\]/g, "[^/]+")}/?$`),
  methods: withImplicit(route.methods),
}));

/** The methods the API route at `pathname` answers (HEAD and OPTIONS included), or null for no route. */
export function apiRouteMethods(pathname: string): string[] | null {
  return compiled.find((route) => route.pattern.test(pathname))?.methods ?? null;
}
