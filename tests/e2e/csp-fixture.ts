// Every browser test fails on a Content-Security-Policy violation: the pages' CSP (proxy.ts) must
// let the app itself run untouched. Specs import `test` and `expect` from here; specs that
// launch their own browser watch their contexts with `watchCsp`.
import { test as base, expect, type BrowserContext } from "@playwright/test";

const violationText =
  /Content Security Policy|CSP violation|Refused to (load|execute|connect|apply|create|frame|evaluate)/i;

/**
 * Collects what the pages of `context` report about CSP: `securitypolicyviolation` events
 * (written to the console by an init script) and the browser's own console errors about the policy.
 */
export async function watchCsp(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(
        `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  context.on("console", (message) => {
    if (message.type() === "error" && violationText.test(message.text())) violations.push(message.text());
  });
  context.on("weberror", (error) => {
    if (violationText.test(String(error.error()))) violations.push(String(error.error()));
  });
  return violations;
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const violations = await watchCsp(context);
      await use(violations);
      expect(violations, "the page's Content-Security-Policy blocked something").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
