import { createHash } from 'node:crypto';
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@nimbus/logging';
import type { RingNode } from '../ring/ring';
import type { ObjectDisk } from '../storage/object/disk-file';
import type { SuffixHashIndex } from '../storage/object/suffix-hashes';

export interface AuditStats {
  checked: number;
  quarantined: number;
  bytes: number;
}

/** How fast the auditor may read. */
export interface AuditRates {
  bytesPerSecond: number;
  filesPerSecond: number;
}

/**
 * The object auditor: reads every object back at a bounded rate, and moves any whose bytes no
 * longer match their size and ETag into `<device>/quarantined/objects/`; the suffix is
 * invalidated so the replicator puts a good copy back.
 */
export class ObjectAuditor {
  constructor(
    private readonly disk: ObjectDisk,
    private readonly hashes: SuffixHashIndex,
    private readonly localDevices: () => RingNode[],
    private readonly rates: AuditRates,
    private readonly log: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((r) => setTimeout(r, ms).unref()),
  ) {}

  async runOnce(): Promise<AuditStats> {
    const stats: AuditStats = { checked: 0, quarantined: 0, bytes: 0 };
    const started = Date.now();
    for (const dev of this.localDevices()) {
      const objects = join(this.disk.root, dev.device, 'objects');
      for (const part of list(objects, this.log)) {
        for (const suffix of list(join(objects, part), this.log)) {
          if (!/^[0-9a-f]{3}$/.test(suffix)) continue;
          for (const hash of list(join(objects, part, suffix), this.log)) {
            const dir = join(objects, part, suffix, hash);
            const bad = await this.audit(dir, stats);
            if (bad) {
              this.quarantine(dev.device, part, suffix, dir);
              stats.quarantined++;
              this.log.warn({ device: dev.device, hash, reason: bad }, 'object quarantined');
            }
            const elapsed = (Date.now() - started) / 1000;
            const ahead =
              Math.max(stats.checked / this.rates.filesPerSecond, stats.bytes / this.rates.bytesPerSecond) -
              elapsed;
            if (ahead > 0) await this.sleep(ahead * 1000);
          }
        }
      }
    }
    return stats;
  }

  /** Answers why an object is bad, or undefined when it is sound. */
  private async audit(dir: string, stats: AuditStats): Promise<string | undefined> {
    let state: ReturnType<ObjectDisk['read']>;
    try {
      state = this.disk.read(dir);
    } catch (err) {
      return `unreadable metadata: ${(err as Error).message}`;
    }
    if (state.status !== 'present') return undefined;
    stats.checked++;
    const md5 = createHash('md5');
    let size = 0;
    try {
      for await (const chunk of createReadStream(state.dataPath!, { highWaterMark: 1 << 20 })) {
        md5.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
    } catch (err) {
      return `unreadable data: ${(err as Error).message}`;
    }
    stats.bytes += size;
    const dataMeta = this.disk.meta.read(state.dataPath!) ?? {};
    if (String(size) !== dataMeta['Content-Length'])
      return `size ${size} is not ${dataMeta['Content-Length']}`;
    const etag = md5.digest('hex');
    if (etag !== dataMeta.ETag) return `md5 ${etag} is not ${dataMeta.ETag}`;
    return undefined;
  }

  private quarantine(device: string, part: string, suffix: string, dir: string): void {
    try {
      this.disk.quarantine(dir);
    } catch (err) {
      this.log.warn({ err, dir }, 'quarantine failed');
    }
    this.hashes.invalidate(device, part, suffix);
  }
}

/** A directory's entries; none when it is gone, and none (logged) when it cannot be listed. */
function list(dir: string, log: Logger): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      log.warn({ err, dir }, 'auditor cannot list a directory');
    return [];
  }
}
