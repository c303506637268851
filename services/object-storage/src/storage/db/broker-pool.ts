import { existsSync } from 'node:fs';
import type { Broker } from './broker';

/**
 * Keeps recently used databases open (opening one costs more than a listing), closing the
 * least recently used beyond `max`.
 */
export class BrokerPool<B extends Broker> {
  private readonly open = new Map<string, B>();

  constructor(
    private readonly create: (path: string) => B,
    private readonly max = 256,
  ) {}

  /** The broker of a path; undefined when the file does not exist and `create` is false. */
  get(path: string, create: boolean): B | undefined {
    const have = this.open.get(path);
    if (have) {
      this.open.delete(path);
      this.open.set(path, have);
      return have;
    }
    if (!create && !existsSync(path)) return undefined;
    const broker = this.create(path);
    this.open.set(path, broker);
    if (this.open.size > this.max) {
      const [oldest, b] = this.open.entries().next().value as [string, B];
      this.open.delete(oldest);
      b.close();
    }
    return broker;
  }

  /** Forgets a path (its file was removed or quarantined). */
  drop(path: string): void {
    const b = this.open.get(path);
    if (b) {
      b.close();
      this.open.delete(path);
    }
  }

  closeAll(): void {
    for (const b of this.open.values()) b.close();
    this.open.clear();
  }
}
