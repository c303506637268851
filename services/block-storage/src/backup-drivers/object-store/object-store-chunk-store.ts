import type { ObjectStoreClient } from '@nimbus/clients';
import type { ChunkStore } from '../chunked/chunk-store';

/** Backup objects in object storage (Swift API), through the user's `ObjectStoreClient`. */
export class ObjectStoreChunkStore implements ChunkStore {
  constructor(private readonly client: ObjectStoreClient) {}

  ensureContainer(container: string): Promise<void> {
    return this.client.ensureContainer(container);
  }

  put(container: string, name: string, data: Buffer): Promise<string> {
    return this.client.putObject(container, name, data, { 'content-type': 'application/octet-stream' });
  }

  async get(container: string, name: string): Promise<Buffer | undefined> {
    const stream = await this.client.getObject(container, name);
    if (!stream) return undefined;
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  async list(container: string, prefix: string): Promise<string[]> {
    return (await this.client.listObjects(container, prefix)).map((o) => o.name);
  }

  async delete(container: string, name: string): Promise<void> {
    await this.client.deleteObject(container, name);
  }
}
