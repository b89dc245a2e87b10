import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./csp-fixture";

const jfkPath = path.resolve(__dirname, "..", "fixtures", "jfk.wav");

async function transcribeJfk(page: Page) {
  await page.goto("/");
  await expect(page.getByTestId("engine-status")).toContainText(/ready/i);
  await page.getByTestId("file-input").setInputFiles(jfkPath);
  await expect(page.getByTestId("transcript-text")).toHaveValue(/ask not what your country/i);
}

test("summarise a transcript, e-mail it and find the message in the outbox", async ({ page }) => {
  await page.goto("/");
  // Before there is a transcript, Summarise explains itself and waits.
  await expect(page.getByTestId("summarise-button")).toBeDisabled();
  await expect(page.getByTestId("summarizer-note")).toContainText(/nothing leaves this machine/i);

  await transcribeJfk(page);
  const transcript = await page.getByTestId("transcript-text").inputValue();

  await page.getByTestId("summarise-button").click();
  const summaryField = page.getByTestId("summary-text");
  await expect(summaryField).toHaveValue(/country/i);
  const summary = await summaryField.inputValue();
  expect(summary.trim().length).toBeGreaterThan(20);
  // The summary was saved with the transcript, so nothing is pending and the text is untouched.
  await expect(page.getByTestId("save-state")).toHaveAttribute("data-state", "saved");
  await expect(page.getByTestId("transcript-text")).toHaveValue(transcript);
  await expect(page.getByTestId("summarise-button")).toHaveText(/regenerate/i);

  await page.getByTestId("email-button").click();
  const dialog = page.getByTestId("email-dialog");
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId("email-input")).toBeFocused();
  await expect(dialog).toContainText(/the summary/i);
  await page.getByTestId("email-input").fill("someone@example.com");
  await page.getByTestId("email-send").click();

  await expect(dialog).toBeHidden();
  const toast = page.getByTestId("toast");
  await expect(toast).toContainText(/saved to the outbox/i);
  await expect(page.getByTestId("email-button")).toBeFocused();

  // The header offers the Outbox while e-mail is kept locally.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Outbox" }).click();
  await expect(page).toHaveURL(/\/outbox$/);
  const item = page
    .getByTestId("outbox-item")
    .filter({ has: page.getByTestId("outbox-subject").filter({ hasText: "jfk" }) })
    .first();
  await expect(item).toBeVisible();
  await expect(item).toContainText("someone@example.com");
  await expect(item).toContainText("jfk.txt");
  await expect(item).toContainText("jfk.docx");

  await item.getByTestId("outbox-toggle").click();
  const preview = item.getByTestId("outbox-preview");
  await expect(preview).toContainText(/ask not what your country can do for you/i);
  await expect(preview).toContainText("SUMMARY");
  const firstSummaryLine = summary
    .split("\n")
    .find((line) => line.trim())!
    .trim();
  await expect(preview).toContainText(firstSummaryLine);

  const download = await page.request.get(
    (await item.getByTestId("outbox-download").getAttribute("href")) ?? "",
  );
  expect(download.status()).toBe(200);
  expect(await download.text()).toContain("someone@example.com");
});

test("an invalid address gets an inline message and nothing is sent", async ({ page }) => {
  await transcribeJfk(page);
  const emailRequests: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/email")) emailRequests.push(request.url());
  });
  const before = ((await (await page.request.get("/api/outbox")).json()) as { items: unknown[] }).items
    .length;

  await page.getByTestId("email-button").click();
  const dialog = page.getByTestId("email-dialog");
  const input = page.getByTestId("email-input");
  await input.fill("someone@example");
  await page.getByTestId("email-send").click();

  await expect(page.getByTestId("email-input-error")).toContainText(/not a complete domain/i);
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(input).toBeFocused();
  await expect(dialog).toBeVisible();

  await input.fill("");
  await page.getByTestId("email-send").click();
  await expect(page.getByTestId("email-input-error")).toContainText(/enter the address/i);

  // Esc closes the dialog and returns focus to the button that opened it.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("email-button")).toBeFocused();

  expect(emailRequests).toEqual([]);
  const after = ((await (await page.request.get("/api/outbox")).json()) as { items: unknown[] }).items.length;
  expect(after).toBe(before);
});
