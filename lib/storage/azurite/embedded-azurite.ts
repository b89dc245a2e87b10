import fs from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { lockFolder } from "@/lib/util/folder-lock";

/** Azurite's well-known development account (public, documented by Microsoft). */
export const DEV_ACCOUNT = {
  name: "devstoreaccount1",
  key: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
} as const;

/** Where and how to run the embedded emulator. */
export interface EmbeddedAzuriteOptions {
  /** Folder for Azurite's databases and blob extents. */
  location: string;
  host?: string;
  /** Ports; 0 picks free ones. */
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  /** Keep everything in memory (tests). */
  inMemory?: boolean;
}

/** A running emulator. */
export interface EmbeddedAzurite {
  connectionString: string;
  ports: { blob: number; queue: number; table: number };
  /** Saves the emulator's indexes now (otherwise written every 5 s): all, or (`blobs`) Blob Storage's. */
  flush(scope?: "blobs"): Promise<void>;
  stop(): Promise<void>;
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  clean?(): Promise<void>;
}

type ServerClass = new (config: unknown) => AzuriteServer;
type ConfigClass = new (...args: unknown[]) => unknown;

/**
 * Starts Azurite's Blob, Queue and Table servers inside this process, bound to loopback, with
 * telemetry never initialised and request/debug logs off. Azurite's API-version check is skipped
 * so that the pinned SDKs and the emulator need not be released in lockstep.
 */
export async function startEmbeddedAzurite(options: EmbeddedAzuriteOptions): Promise<EmbeddedAzurite> {
  const host = options.host ?? "127.0.0.1";
  const [blob, queue, table] = await Promise.all([
    portOrFree(options.blobPort, host),
    portOrFree(options.queuePort, host),
    portOrFree(options.tablePort, host),
  ]);
  await fs.mkdir(options.location, { recursive: true });
  // Two emulators over one folder overwrite each other's index: the second one refuses to start.
  const lock = options.inMemory ? null : await lockFolder(options.location, "embedded Azurite");
  const load = createRequire(path.join(process.cwd(), "package.json"));
  const loadDefault = (name: string) => {
    const loaded = load(`azurite/dist/src/${name}`) as { default: unknown };
    return loaded.default;
  };
  const BlobConfiguration = loadDefault("blob/BlobConfiguration") as ConfigClass;
  const BlobServer = loadDefault("blob/BlobServer") as ServerClass;
  const QueueConfiguration = loadDefault("queue/QueueConfiguration") as ConfigClass;
  const QueueServer = loadDefault("queue/QueueServer") as ServerClass;
  const TableConfiguration = loadDefault("table/TableConfiguration") as ConfigClass;
  const TableServer = loadDefault("table/TableServer") as ServerClass;

  const at = (file: string) => path.join(options.location, file);
  const persistence = (folder: string) => [
    { locationId: "Default", locationPath: at(folder), maxConcurrency: 10 },
  ];
  const memory = options.inMemory ?? false;
  const common = { loose: true, skipApiVersionCheck: true, cert: "", key: "", pwd: "", oauth: undefined };

  const blobServer = new BlobServer(
    new BlobConfiguration(
      host,
      blob,
      5,
      at("__azurite_db_blob__.json"),
      at("__azurite_db_blob_extent__.json"),
      persistence("__blobstorage__"),
      false,
      undefined,
      false,
      undefined,
      common.loose,
      common.skipApiVersionCheck,
      common.cert,
      common.key,
      common.pwd,
      common.oauth,
      false,
      memory,
    ),
  );
  const queueServer = new QueueServer(
    new QueueConfiguration(
      host,
      queue,
      5,
      at("__azurite_db_queue__.json"),
      at("__azurite_db_queue_extent__.json"),
      persistence("__queuestorage__"),
      false,
      undefined,
      false,
      undefined,
      common.loose,
      common.skipApiVersionCheck,
      common.cert,
      common.key,
      common.pwd,
      common.oauth,
      false,
      memory,
    ),
  );
  const tableServer = new TableServer(
    new TableConfiguration(
      host,
      table,
      5,
      at("__azurite_db_table__.json"),
      false,
      false,
      undefined,
      undefined,
      common.loose,
      common.skipApiVersionCheck,
      common.cert,
      common.key,
      common.pwd,
      common.oauth,
      false,
      memory,
    ),
  );
  const servers = [blobServer, queueServer, tableServer];
  const started: AzuriteServer[] = [];
  try {
    for (const server of servers) {
      await server.start();
      started.push(server);
    }
  } catch (error) {
    // A server that failed to listen (or never started) has still opened its databases and
    // timers; release those too or the process cannot exit.
    const release = (server: AzuriteServer) =>
      (server as { afterClose?: () => Promise<void> }).afterClose?.();
    await Promise.allSettled(
      servers.map((server) => (started.includes(server) ? server.close() : release(server))),
    );
    await lock?.release();
    throw error;
  }
  const connectionString = [
    "DefaultEndpointsProtocol=http",
    `AccountName=${DEV_ACCOUNT.name}`,
    `AccountKey=${DEV_ACCOUNT.key}`,
    `BlobEndpoint=http://${host}:${blob}/${DEV_ACCOUNT.name}`,
    `QueueEndpoint=http://${host}:${queue}/${DEV_ACCOUNT.name}`,
    `TableEndpoint=http://${host}:${table}/${DEV_ACCOUNT.name}`,
  ].join(";");
  return {
    connectionString,
    ports: { blob, queue, table },
    flush: memory
      ? async () => undefined
      : (scope) => saveIndexes(scope === "blobs" ? [blobServer] : servers),
    async stop() {
      await Promise.allSettled(servers.map((server) => server.close()));
      await lock?.release();
    },
  };
}

interface LokiIndex {
  saveDatabase(callback: (error?: unknown) => void): void;
}

/**
 * Azurite keeps its indexes (which blobs, entities and messages exist) in LokiJS databases that it
 * writes to disk every 5 s. Saving them here closes that window: each save writes a temporary file
 * and renames it over the old one, and LokiJS queues saves asked for while one runs.
 */
async function saveIndexes(servers: AzuriteServer[]): Promise<void> {
  const indexes = servers
    .flatMap((server) => {
      const stores = server as {
        metadataStore?: { db?: LokiIndex };
        extentMetadataStore?: { db?: LokiIndex };
      };
      return [stores.extentMetadataStore?.db, stores.metadataStore?.db];
    })
    .filter((db): db is LokiIndex => db !== undefined);
  await Promise.all(
    indexes.map(
      (db) =>
        new Promise<void>((resolve, reject) =>
          db.saveDatabase((error) =>
            error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
          ),
        ),
    ),
  );
}

async function portOrFree(port: number | undefined, host: string): Promise<number> {
  if (port) return port;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port: free } = server.address() as net.AddressInfo;
      server.close(() => resolve(free));
    });
  });
}
