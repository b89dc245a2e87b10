import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/http/errors";
import { isId } from "@/lib/util/ids";
import type { RecordingMetadata, RecordingStore } from "../types";

const AUDIO_FILE = "audio";
const METADATA_FILE = "metadata.json";

/** Keeps recordings as `<root>/<owner>/<recordingId>/{audio,metadata.json}` on local disk. */
export class FilesystemRecordingStore implements RecordingStore {
  constructor(private readonly root: string) {}

  async saveFromFile(owner: string, metadata: RecordingMetadata, sourcePath: string): Promise<void> {
    const dir = this.dir(owner, metadata.id);
    try {
      await fs.mkdir(dir, { recursive: true });
      await fs.rename(sourcePath, path.join(dir, AUDIO_FILE));
      await this.writeMetadata(dir, metadata);
    } catch (error) {
      await fs.rm(dir, { recursive: true, force: true });
      throw new AppError("storage_unavailable", "The recording could not be stored. Nothing was saved.", {
        cause: error,
      });
    }
  }

  async updateMetadata(owner: string, id: string, patch: Partial<Omit<RecordingMetadata, "id">>) {
    const current = await this.get(owner, id);
    if (!current) throw new AppError("not_found", "The recording does not exist.");
    await this.writeMetadata(this.dir(owner, id), { ...current, ...patch });
  }

  async get(owner: string, id: string): Promise<RecordingMetadata | null> {
    try {
      const text = await fs.readFile(path.join(this.dir(owner, id), METADATA_FILE), "utf8");
      return JSON.parse(text) as RecordingMetadata;
    } catch {
      return null;
    }
  }

  async localPath(owner: string, id: string): Promise<string | null> {
    const file = path.join(this.dir(owner, id), AUDIO_FILE);
    return fs.stat(file).then(
      () => file,
      () => null,
    );
  }

  async delete(owner: string, id: string): Promise<void> {
    await fs.rm(this.dir(owner, id), { recursive: true, force: true });
  }

  async health() {
    try {
      await fs.mkdir(this.root, { recursive: true });
      await fs.access(this.root, fs.constants.W_OK);
      return { ready: true, provider: "filesystem" };
    } catch {
      return { ready: false, provider: "filesystem", error: "The data folder is not writable." };
    }
  }

  private dir(owner: string, id: string): string {
    if (!/^[a-z0-9-]{1,64}$/.test(owner) || !isId(id))
      throw new AppError("not_found", "The recording does not exist.");
    return path.join(this.root, owner, id);
  }

  private async writeMetadata(dir: string, metadata: RecordingMetadata) {
    const file = path.join(dir, METADATA_FILE);
    await fs.writeFile(`${file}.tmp`, JSON.stringify(metadata, null, 2));
    await fs.rename(`${file}.tmp`, file);
  }
}
