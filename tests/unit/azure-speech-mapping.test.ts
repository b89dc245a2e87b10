import { isLastingFailure } from "@/lib/domain/errors";
import { cancellationError, isCredentialFailure } from "@/lib/speech/azure/errors";
import { chooseLanguage } from "@/lib/speech/azure/languages";

describe("Azure speech language choice", () => {
  it("detects among the candidates for auto, or uses the only one", () => {
    expect(chooseLanguage("auto", ["en-US", "fr-FR"])).toEqual({ candidates: ["en-US", "fr-FR"] });
    expect(chooseLanguage("auto", ["nl-NL"])).toEqual({ locale: "nl-NL" });
  });

  it("passes locales through and completes a bare language", () => {
    expect(chooseLanguage("pt-BR", ["en-US"])).toEqual({ locale: "pt-BR" });
    expect(chooseLanguage("de", ["en-US"])).toEqual({ locale: "de-DE" });
  });
});

describe("Azure speech cancellations", () => {
  const cancel = (errorCode: string, details = "", connectionLost = false) => ({
    errorCode,
    details,
    connectionLost,
  });

  it.each([
    [cancel("AuthenticationFailure"), "engine_rejected", true],
    [cancel("Forbidden"), "engine_rejected", true],
    [cancel("ConnectionFailure", "Reason:  Unexpected server response: 401"), "engine_rejected", true],
    [cancel("ConnectionFailure", "Reason:  Unexpected server response: 403"), "engine_rejected", true],
    [cancel("ConnectionFailure", "Reason:  Unexpected server response: 429"), "rate_limited", false],
    [cancel("TooManyRequests"), "rate_limited", false],
    [
      cancel("ConnectionFailure", "ws://127.0.0.1:40123/x Reason: socket hang up"),
      "engine_unavailable",
      false,
    ],
    [cancel("RuntimeError", "Unable to contact server", true), "engine_unavailable", false],
    [cancel("ServiceTimeout"), "engine_unavailable", false],
    [cancel("BadRequestParameters"), "unprocessable", false],
    [cancel("ServiceError"), "engine_failed", false],
    [cancel("RuntimeError"), "engine_failed", false],
  ])("maps %o to %s", (cancellation, code, credentials) => {
    expect(cancellationError(cancellation).code).toBe(code);
    expect(isCredentialFailure(cancellation)).toBe(credentials);
  });

  it("answers refused credentials with a 502 that no retry repeats, and throttling with a retry", () => {
    const refused = cancellationError(cancel("AuthenticationFailure"));
    expect(refused.status).toBe(502);
    expect(isLastingFailure(refused)).toBe(true);
    expect(isLastingFailure(cancellationError(cancel("TooManyRequests")))).toBe(false);
    expect(isLastingFailure(cancellationError(cancel("ServiceError")))).toBe(false);
    expect(isLastingFailure(cancellationError(cancel("BadRequestParameters")))).toBe(true);
  });

  it("says what to check when the credentials are refused", () => {
    expect(cancellationError(cancel("AuthenticationFailure")).message).toMatch(
      /key or region is wrong .*AZURE_SPEECH_KEY .*AZURE_SPEECH_REGION/,
    );
  });
});
