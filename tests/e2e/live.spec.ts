import { chromium, type Browser, type Page } from "@playwright/test";
import { expect, test, watchCsp } from "./csp-fixture";
import type { LiveServerMessage } from "@/lib/contract";
import { chromiumArgs } from "../../playwright.config";
import { fakeMicFile } from "./global-setup";

// The server lets a busy engine finish for up to a minute after stop before it saves.
test.setTimeout(240_000);

/** Length of the fake microphone's input: jfk.wav (11 s) with a second of silence at both ends. */
const MIC_SECONDS = 13;

/** Chromium whose microphone plays the speech file once (then silence). */
async function launchWithMicrophone(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: false,
    args: [
      ...chromiumArgs,
      "--headless=new",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${fakeMicFile}%noloop`,
    ],
  });
}

async function openPage(
  browser: Browser,
): Promise<{ page: Page; frames: LiveServerMessage[]; cspViolations: string[] }> {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    permissions: ["microphone"],
  });
  // The AudioWorklet and the socket must get past the page's CSP.
  const cspViolations = await watchCsp(context);
  const page = await context.newPage();
  // What the server says on the socket, to know which recording the session became.
  const frames: LiveServerMessage[] = [];
  page.on("websocket", (socket) => {
    if (!socket.url().endsWith("/api/live")) return;
    socket.on("framereceived", ({ payload }) => {
      if (typeof payload === "string") frames.push(JSON.parse(payload) as LiveServerMessage);
    });
  });
  await page.goto("/");
  await expect(page.getByTestId("engine-status")).toContainText(/ready/i);
  return { page, frames, cspViolations };
}

/** The editor's text in lower case without punctuation: live utterances punctuate as they end. */
async function editorWords(page: Page): Promise<string> {
  const text = await page.getByTestId("transcript-text").inputValue();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Seconds on the live timer ("01:05" is 65). */
async function elapsedSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId("live-timer").textContent()) ?? "";
  return text.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

async function expectLevelMoves(page: Page) {
  const meter = page.getByTestId("live-level-meter");
  await expect
    .poll(async () => Number((await meter.getAttribute("data-level")) ?? 0), { timeout: 10_000 })
    .toBeGreaterThan(0.01);
}

/** Stops once the whole speech file has played, and answers how long the session was. */
async function stopAfterSpeech(page: Page): Promise<number> {
  await expect.poll(() => elapsedSeconds(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(MIC_SECONDS);
  const elapsed = await elapsedSeconds(page);
  await page.getByTestId("live-button").click();
  return elapsed;
}

test("live transcription shows words while speaking, and stop opens the saved transcript, marked Live in the library", async () => {
  const browser = await launchWithMicrophone();
  try {
    const { page, frames, cspViolations } = await openPage(browser);
    await page.getByTestId("live-button").click();
    await expect(page.getByTestId("live-state")).toHaveText("Live");
    await expectLevelMoves(page);

    // The utterance being spoken shows before anything is stopped.
    await expect(page.getByTestId("live-partial")).toContainText(/[a-z]{2,}/i, { timeout: 20_000 });
    await expect(page.getByTestId("live-button")).toHaveText(/stop/i);

    await stopAfterSpeech(page);
    await expect(page.getByTestId("transcript-text")).toHaveValue(/fellow americans/i, { timeout: 150_000 });
    expect(await editorWords(page)).toContain("ask not what your country can do for you");
    await expect(page.getByTestId("live-captions")).toHaveCount(0);
    await expect(page.getByTestId("error-area")).toBeEmpty();

    const saved = frames.find((frame) => frame.type === "saved");
    if (saved?.type !== "saved") throw new Error("the server never said the session was saved");
    await page.goto("/recordings");
    const row = page.locator(`[data-testid="recording-row"][data-recording-id="${saved.recordingId}"]`);
    await expect(row.getByTestId("live-badge")).toBeVisible();
    await expect(row.getByRole("link", { name: /open transcript/i })).toHaveAttribute(
      "href",
      `/transcripts/${saved.transcriptionId}`,
    );
    expect(cspViolations).toEqual([]);
  } finally {
    await browser.close();
  }
});

test("a dropped connection is resumed without losing or doubling audio", async () => {
  const browser = await launchWithMicrophone();
  try {
    const { page, frames } = await openPage(browser);
    // Cut the first connection 5 s in and refuse new ones for 2.5 s: the page keeps capturing,
    // retries, and resumes the session with the audio it kept.
    let blockedUntil = 0;
    let connections = 0;
    await page.routeWebSocket(/\/api\/live$/, (socket) => {
      connections += 1;
      if (Date.now() < blockedUntil) {
        void socket.close({ code: 1011, reason: "test: still down" });
        return;
      }
      const server = socket.connectToServer();
      if (connections > 1) return;
      setTimeout(() => {
        blockedUntil = Date.now() + 2500;
        void server.close({ code: 1001, reason: "test: dropped" });
        void socket.close({ code: 1011, reason: "test: dropped" });
      }, 5000);
    });

    await page.getByTestId("live-button").click();
    await expect(page.getByTestId("live-state")).toHaveText("Live");
    await expectLevelMoves(page);
    await expect(page.getByTestId("live-state")).toHaveText(/reconnecting/i, { timeout: 10_000 });
    await expect(page.getByTestId("live-status")).toContainText(/reconnecting/i);
    await expect(page.getByTestId("live-state")).toHaveText("Live", { timeout: 15_000 });
    expect(connections).toBeGreaterThan(2);

    const elapsed = await stopAfterSpeech(page);
    await expect(page.getByTestId("transcript-text")).toHaveValue(/fellow americans/i, { timeout: 150_000 });
    const words = await editorWords(page);
    expect(words).toContain("ask not what your country can do for you");
    expect(words.match(/fellow americans/g)).toHaveLength(1);
    expect(words.match(/what you can do for your country/g)).toHaveLength(1);

    // The recording is as long as the session: the audio sent again was not added twice.
    const saved = frames.find((frame) => frame.type === "saved");
    if (saved?.type !== "saved") throw new Error("the server never said the session was saved");
    const response = await page.request.get(`/api/transcriptions/${saved.transcriptionId}`);
    const { transcript } = (await response.json()) as { transcript: { durationSec: number } };
    expect(Math.abs(transcript.durationSec - elapsed)).toBeLessThan(1.5);
  } finally {
    await browser.close();
  }
});

test("a denied or missing microphone and a server that refuses each get a readable message", async () => {
  const cases: Array<{ flags: string[]; message: RegExp; refuse?: boolean }> = [
    {
      flags: ["--use-fake-device-for-media-stream", "--deny-permission-prompts"],
      message: /microphone access was denied/i,
    },
    { flags: ["--use-fake-ui-for-media-stream"], message: /no microphone was found/i },
    {
      flags: ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"],
      message: /already running as many live transcriptions as it can/i,
      refuse: true,
    },
  ];
  for (const { flags, message, refuse } of cases) {
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: false,
      args: [...chromiumArgs, "--headless=new", ...flags],
    });
    try {
      const page = await (await browser.newContext({ baseURL: test.info().project.use.baseURL })).newPage();
      if (refuse) {
        // A server at its limit answers `start` with an error frame and closes.
        await page.routeWebSocket(/\/api\/live$/, (socket) => {
          socket.onMessage(() => {
            socket.send(JSON.stringify({ type: "error", code: "too_many_sessions", message: "Busy." }));
            void socket.close({ code: 1013 });
          });
        });
      }
      await page.goto("/");
      await page.getByTestId("live-button").click();
      await expect(page.getByTestId("error-area")).toContainText(message);
      await expect(page.getByTestId("live-panel")).toHaveAttribute("data-status", "error");
      await expect(page.getByTestId("live-button")).toBeEnabled();
    } finally {
      await browser.close();
    }
  }
});
