import type { StorageConfig } from "@/lib/config";
import { logger } from "@/lib/log";
import { createAzureStorage } from "./azure/azure-storage";
import { startEmbeddedAzurite } from "./azurite/embedded-azurite";
import { createMemoryStorage } from "./memory/memory-storage";
import type { Storage } from "./types";

export type * from "./types";

/**
 * The storage the configuration names: Azurite started here in this process on loopback and
 * persisted under the data folder (default), an Azure Storage account (connection string or
 * Entra ID), or memory (tests). Azurite and Azure share the same SDK code.
 */
export async function createStorage(config: StorageConfig): Promise<Storage> {
  const names = {
    recordingsContainer: config.recordingsContainer,
    transcriptsContainer: config.transcriptsContainer,
    transcriptsTable: config.transcriptsTable,
    liveContainer: config.liveContainer,
  };
  const provider = config.provider;
  switch (provider) {
    case "azure": {
      const { credential } = config;
      const target =
        credential.kind === "connection-string"
          ? credential.connectionString
          : { accountName: credential.accountName };
      return createAzureStorage(target, names, { provider: "azure" });
    }
    case "azurite": {
      const { azurite } = config;
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
        flush: emulator.flush,
        onClose: emulator.stop,
      });
    }
    case "memory":
      return createMemoryStorage();
    default: {
      const unknown: never = provider;
      throw new Error(`Unknown storage provider: ${String(unknown)}`);
    }
  }
}
