import type { AppConfig } from "@/lib/config";
import { logger } from "@/lib/log";
import { createAzureStorage } from "./azure/azure-storage";
import { startEmbeddedAzurite } from "./azurite/embedded-azurite";
import type { Storage } from "./types";

export type * from "./types";

/**
 * Azure Storage when a connection string or an account name (Entra ID) is configured; otherwise Azurite, started here in
 * this process on loopback and persisted under the data folder, behind the same SDK code.
 */
export async function createStorage(config: AppConfig): Promise<Storage> {
  const names = {
    recordingsContainer: config.storage.recordingsContainer,
    transcriptsContainer: config.storage.transcriptsContainer,
    transcriptsTable: config.storage.transcriptsTable,
  };
  if (config.storage.connectionString) {
    return createAzureStorage(config.storage.connectionString, names, { provider: "azure" });
  }
  if (config.storage.accountName) {
    return createAzureStorage({ accountName: config.storage.accountName }, names, { provider: "azure" });
  }
  const { azurite } = config.storage;
  const started = Date.now();
  const emulator = await startEmbeddedAzurite({
    location: azurite.location,
    blobPort: azurite.blobPort,
    queuePort: azurite.queuePort,
    tablePort: azurite.tablePort,
    inMemory: azurite.inMemory,
  });
  logger.info("embedded Azurite started", { ports: emulator.ports, ms: Date.now() - started });
  return createAzureStorage(emulator.connectionString, names, {
    provider: "azurite",
    onClose: emulator.stop,
  });
}
