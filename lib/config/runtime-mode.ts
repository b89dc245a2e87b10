/**
 * Whether this process runs the development server (hot reload, React's debugging aids), for
 * code that must not load the whole configuration on every request (the proxy's CSP).
 */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV === "development";
}
