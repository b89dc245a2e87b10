import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = 3100;
const dataDir = path.join(os.tmpdir(), `transcribe-e2e-${port}`);

/** A second server with password sign-in, for `sign-in.spec.ts` (test-only credentials). */
export const signInServer = {
  port: 3101,
  user: "e2e-user",
  password: "e2e-sign-in-password",
};
const signInUsers = `${signInServer.user}:scrypt:5dMOsmHfqB4v_kP498BxGw:U9WcCp0ayFaKBiO8ztgMRJCwajhJOLwo-McdxOCj5YU`;

/** Debian's Chromium, never a downloaded browser; flags keep it off the network. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 120_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  globalSetup: "./tests/e2e/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    launchOptions: { executablePath: "/usr/bin/chromium", args: chromiumArgs },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  // One after the other: the first builds the app when the build is stale, the second reuses it.
  webServer: [
    {
      command: "node --import tsx scripts/start.ts",
      url: `http://127.0.0.1:${port}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
    {
      command: "node --import tsx scripts/start.ts",
      url: `http://127.0.0.1:${signInServer.port}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        NODE_ENV: "production",
        PORT: String(signInServer.port),
        HOST: "127.0.0.1",
        DATA_DIR: path.join(os.tmpdir(), `transcribe-e2e-${signInServer.port}`),
        LOG_LEVEL: "warn",
        NEXT_TELEMETRY_DISABLED: "1",
        SPEECH_PRELOAD: "false",
        AUTH_MODE: "password",
        AUTH_USERS: signInUsers,
        AUTH_SECRET: "AHk2DiTaIo_UTyG-Wux8wKeNNBMMAJ8siwhjouYhx4g",
      },
    },
  ],
});
