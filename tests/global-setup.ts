// Starts one real Azurite (in memory, free loopback ports) for the whole Jest run.
import { startEmbeddedAzurite, type EmbeddedAzurite } from "@/lib/storage/azurite/embedded-azurite";
import os from "node:os";
import path from "node:path";

declare global {
  var __AZURITE__: EmbeddedAzurite | undefined;
}

export default async function globalSetup() {
  const azurite = await startEmbeddedAzurite({
    location: path.join(os.tmpdir(), `transcribe-jest-azurite-${process.pid}`),
    inMemory: true,
  });
  globalThis.__AZURITE__ = azurite;
  process.env.STORAGE_PROVIDER = "azure";
  process.env.AZURE_STORAGE_CONNECTION_STRING = azurite.connectionString;
}
