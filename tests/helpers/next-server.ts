// The real server (server.ts: the Next.js production build behind the server guards, the live
// socket, the app's services) for tests of what only the whole server does: page headers and
// CSP, Host checks, 405s, malformed addresses, timeouts. Run as
// `node --import tsx tests/helpers/next-server.ts` with the app's environment and PORT set (the
// build must exist: see buildIfNeeded). It prints `{"message":"test server ready","port":…}`
// once it takes requests and its storage is up; SIGTERM stops it as the real server stops.
import { loadConfig } from "@/lib/config";
import { getProcessServices } from "@/lib/services";
import { startServer } from "../../server";

async function main(): Promise<void> {
  const config = loadConfig();
  const stop = await startServer({ dev: false, config });
  await getProcessServices();
  process.stdout.write(
    JSON.stringify({ message: "test server ready", port: config.server.port, pid: process.pid }) + "\n",
  );
  process.once("SIGTERM", () => void stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
