// Small helpers for tests that talk to Azurite directly.
import net from "node:net";
import type { Readable } from "node:stream";
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { DEV_ACCOUNT } from "@/lib/storage/azurite/embedded-azurite";

/** A loopback port that was free a moment ago (listened on, then closed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `count` distinct free loopback ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Reads a stream to the end. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A random suffix for container and table names: lower-case letters and digits. */
export function uniqueSuffix(length = 10): string {
  let out = "";
  while (out.length < length) out += Math.random().toString(36).slice(2);
  return out.slice(0, length);
}

/** SDK clients on an Azurite connection string, for checks behind the app's back. */
export function rawClients(connectionString: string, table: string) {
  return {
    blobs: BlobServiceClient.fromConnectionString(connectionString),
    table: TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: true }),
  };
}

/** Names of the committed (and, with `uncommitted`, uncommitted) blobs under a prefix; [] when the container is missing. */
export async function blobNames(
  blobs: BlobServiceClient,
  container: string,
  options: { prefix?: string; uncommitted?: boolean } = {},
): Promise<string[]> {
  const client = blobs.getContainerClient(container);
  if (!(await client.exists())) return [];
  const names: string[] = [];
  for await (const item of client.listBlobsFlat({
    prefix: options.prefix,
    includeUncommitedBlobs: options.uncommitted ?? false,
  })) {
    names.push(item.name);
  }
  return names;
}

/** Row keys of a table's entities (in one partition, or all); [] when the table is missing. */
export async function rowKeys(table: TableClient, partition?: string): Promise<string[]> {
  const keys: string[] = [];
  try {
    const filter = partition === undefined ? undefined : `PartitionKey eq '${partition.replace(/'/g, "''")}'`;
    for await (const entity of table.listEntities({ queryOptions: filter ? { filter } : {} })) {
      keys.push(entity.rowKey ?? "");
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return [];
    throw error;
  }
  return keys;
}

/** The connection string of an Azurite on loopback at these ports (a server process's own). */
export function azuriteConnectionString(ports: { blob: number; queue: number; table: number }): string {
  return [
    "DefaultEndpointsProtocol=http",
    `AccountName=${DEV_ACCOUNT.name}`,
    `AccountKey=${DEV_ACCOUNT.key}`,
    `BlobEndpoint=http://127.0.0.1:${ports.blob}/${DEV_ACCOUNT.name}`,
    `QueueEndpoint=http://127.0.0.1:${ports.queue}/${DEV_ACCOUNT.name}`,
    `TableEndpoint=http://127.0.0.1:${ports.table}/${DEV_ACCOUNT.name}`,
  ].join(";");
}
