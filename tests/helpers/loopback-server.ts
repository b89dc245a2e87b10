// A plain HTTP server on a free loopback port, for the fakes of cloud services.
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Starts a server on 127.0.0.1 and a free port; `url` is `http://127.0.0.1:PORT`. */
export async function listenOnLoopback(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** Stops a server at once, dropping open connections. */
export async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
