// Raw HTTP for the reliability suite: any method, any path (even malformed), any header, and
// bodies that arrive slowly or stop, against the real server.
import http from "node:http";
import net from "node:net";

/** What came back, with the body as text and, when it parses, as JSON. */
export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

/** One request; `path` is sent as given (no URL normalisation). */
export function request(
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method, path, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            // Not JSON.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A multipart/form-data body with the given fields and an optional file. */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Buffer },
): { body: Buffer; contentType: string } {
  const boundary = `----reliability${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Starts an upload whose body drips `bytesPerSecond` and then stalls; resolves with how the server
 * ended it (a reply status, or `closed` when it dropped the connection) and after how long.
 */
export function slowUpload(
  port: number,
  options: { dripSec: number; giveUpSec: number },
): Promise<{ outcome: number | "closed" | "still open"; afterSec: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, "127.0.0.1");
    let settled = false;
    const finish = (outcome: number | "closed" | "still open") => {
      if (settled) return;
      settled = true;
      clearInterval(drip);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ outcome, afterSec: (Date.now() - started) / 1000 });
    };
    socket.write(
      "POST /api/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000\r\n\r\n--x\r\n",
    );
    let sent = 0;
    const drip = setInterval(() => {
      if ((Date.now() - started) / 1000 < options.dripSec) {
        socket.write("a");
        sent++;
      }
    }, 1000);
    const giveUp = setTimeout(() => finish("still open"), options.giveUpSec * 1000);
    let head = "";
    socket.on("data", (chunk: Buffer) => {
      head += chunk.toString("latin1");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (match) finish(Number(match[1]));
    });
    socket.on("close", () => finish("closed"));
    socket.on("error", () => finish("closed"));
    void sent;
  });
}

/** Sends `head` and part of a body, then destroys the socket (a client that gives up mid-upload). */
export function abortedUpload(port: number, head: string, partialBody: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(head);
      socket.write(partialBody, () =>
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 200),
      );
    });
    socket.on("error", () => resolve());
  });
}
