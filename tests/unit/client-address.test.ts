import type http from "node:http";
import { clientAddress } from "../../server";

function request(headers: Record<string, string>, remoteAddress = "10.0.0.5"): http.IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as http.IncomingMessage;
}

describe("clientAddress", () => {
  it("uses the socket address and ignores X-Forwarded-For unless the proxy is trusted", () => {
    expect(clientAddress(request({ "x-forwarded-for": "203.0.113.7" }), false)).toBe("10.0.0.5");
  });

  it("takes the first X-Forwarded-For entry behind a trusted proxy", () => {
    expect(clientAddress(request({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }), true)).toBe("203.0.113.7");
    expect(clientAddress(request({}), true)).toBe("10.0.0.5");
  });
});
