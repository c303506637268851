import { statSync } from 'node:fs';
import type { MultiFernet } from './fernet';
import type { KeyRepository } from './key-repository';

/**
 * The repository's keys, read once and again only when the directory changes (a rotation by
 * `nimbus identity fernet-rotate` or by another host's key distribution), checked at most every
 * `checkEveryMs`. Token issue and validation then cost no file reads.
 */
export function cachedKeys(
  repo: KeyRepository,
  checkEveryMs = 1000,
  now: () => number = Date.now,
): () => MultiFernet {
  let keys: MultiFernet | undefined;
  let stamp = '';
  let checkedAt = 0;
  const currentStamp = () => {
    const st = statSync(repo.directory);
    return `${st.mtimeMs}:${st.ctimeMs}`;
  };
  return () => {
    const t = now();
    if (keys && t - checkedAt < checkEveryMs) return keys;
    checkedAt = t;
    const s = currentStamp();
    if (!keys || s !== stamp) {
      keys = repo.fernet();
      stamp = s;
    }
    return keys;
  };
}
