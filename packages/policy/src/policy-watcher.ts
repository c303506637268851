import { existsSync, type FSWatcher, statSync, watch } from 'node:fs';
import { basename } from 'node:path';

/** How a PolicyWatcher looks for changes. */
export interface PolicyWatcherOptions {
  /** Directory watched with fs.watch (its files may be created, replaced or removed). */
  dir: string;
  /** Files whose change triggers `onChange`; they may live outside `dir` (then polling alone sees them). */
  files: readonly string[];
  /** Called once a burst of changes has settled. */
  onChange: () => void;
  /** Polling period, the fallback where fs.watch misses events (network file systems, late directories). */
  pollMs?: number;
  /** Quiet time after the last event before `onChange` runs. */
  debounceMs?: number;
}

/**
 * Notices changes to a service's policy files within about a second: fs.watch on the policy
 * directory for speed, plus polling of each file's size, mtime and inode where fs.watch is blind.
 * Events are debounced so an editor's several writes cause one reload. Timers never keep the
 * process alive; `close()` stops everything.
 */
export class PolicyWatcher {
  private watcher: FSWatcher | undefined;
  private readonly poll: NodeJS.Timeout;
  private debounce: NodeJS.Timeout | undefined;
  private signature: string;
  private closed = false;
  private readonly names: Set<string>;

  constructor(private readonly options: PolicyWatcherOptions) {
    this.names = new Set(options.files.map((f) => basename(f)));
    this.signature = this.stat();
    this.startWatch();
    this.poll = setInterval(() => this.tick(), options.pollMs ?? 1000);
    this.poll.unref();
  }

  /** Stops watching and polling. */
  close(): void {
    this.closed = true;
    clearInterval(this.poll);
    if (this.debounce) clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private tick(): void {
    if (!this.watcher) this.startWatch();
    if (this.stat() !== this.signature) this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      if (this.closed) return;
      this.signature = this.stat();
      this.options.onChange();
    }, this.options.debounceMs ?? 100);
    this.debounce.unref();
  }

  private startWatch(): void {
    if (this.closed || !existsSync(this.options.dir)) return;
    try {
      const w = watch(this.options.dir, { persistent: false }, (_event, name) => {
        if (name === null || this.names.has(String(name))) this.schedule();
      });
      w.on('error', () => {
        // The directory went away (or the platform gave up): polling carries on and re-watches.
        w.close();
        if (this.watcher === w) this.watcher = undefined;
      });
      this.watcher = w;
    } catch {
      this.watcher = undefined;
    }
  }

  private stat(): string {
    return this.options.files
      .map((f) => {
        try {
          const s = statSync(f);
          return `${s.ino}:${s.size}:${s.mtimeMs}`;
        } catch {
          return '-';
        }
      })
      .join('|');
  }
}
