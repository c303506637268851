import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { FernetKey, MultiFernet } from './fernet';

/**
 * A Keystone-style Fernet key repository: files named by integers; `0` is the staged key (the
 * next primary, already accepted for decryption), the highest number is the primary key (used to
 * encrypt), the others are secondary keys still accepted. Used for token keys and, in a separate
 * directory, for credential keys.
 */
export class KeyRepository {
  constructor(
    readonly directory: string,
    /** Most keys kept after a rotation (staged + primary + secondaries), as `max_active_keys`. */
    readonly maxActiveKeys = 3,
  ) {
    if (maxActiveKeys < 1) throw new Error('max_active_keys must be at least 1');
  }

  /** True when the repository holds a staged and a primary key. */
  isSetUp(): boolean {
    return existsSync(this.directory) && this.keyNumbers().length >= 2;
  }

  /** Creates the directory (0700) with a staged key 0 and a primary key 1, once. */
  setup(): void {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    chmodSync(this.directory, 0o700);
    if (this.keyNumbers().length === 0) this.writeKey(0, FernetKey.generate());
    if (this.keyNumbers().length === 1) this.rotate();
  }

  /**
   * Promotes the staged key to primary (next number), stages a new key 0, and drops the oldest
   * secondaries beyond `maxActiveKeys`. Tokens made with any kept key stay valid.
   */
  rotate(): void {
    const numbers = this.keyNumbers();
    if (!numbers.includes(0)) throw new Error(`${this.directory} has no staged key 0: run setup first`);
    const next = Math.max(...numbers) + 1;
    renameSync(join(this.directory, '0'), join(this.directory, String(next)));
    this.writeKey(0, FernetKey.generate());
    const remaining = this.keyNumbers()
      .filter((n) => n !== 0)
      .sort((a, b) => a - b);
    while (remaining.length + 1 > this.maxActiveKeys && remaining.length > 1)
      unlinkSync(join(this.directory, String(remaining.shift())));
  }

  /** The keys in use order: primary first, then secondaries (newest first), then staged. */
  loadKeys(): string[] {
    const st = statSync(this.directory);
    if ((st.mode & 0o077) !== 0)
      throw new Error(`${this.directory} must not be readable by others (chmod 700)`);
    const numbers = this.keyNumbers();
    if (!numbers.includes(0) || numbers.length < 2)
      throw new Error(`${this.directory} is not set up: run 'nimbus identity fernet-setup'`);
    const order = [...numbers.filter((n) => n !== 0).sort((a, b) => b - a), 0];
    return order.map((n) => readFileSync(join(this.directory, String(n)), 'utf8').trim());
  }

  /** A MultiFernet over the loaded keys. */
  fernet(): MultiFernet {
    return new MultiFernet(this.loadKeys().map((k) => new FernetKey(k)));
  }

  private keyNumbers(): number[] {
    if (!existsSync(this.directory)) return [];
    return readdirSync(this.directory)
      .filter((f) => /^\d+$/.test(f))
      .map(Number);
  }

  private writeKey(n: number, key: string): void {
    const tmp = join(this.directory, `.${n}.tmp`);
    writeFileSync(tmp, key, { mode: 0o600 });
    renameSync(tmp, join(this.directory, String(n)));
  }
}
