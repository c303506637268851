import { createHash } from 'node:crypto';

/** The secret salt around every hashed path (`swift_hash_path_prefix` / `_suffix`). */
export interface HashPathSalt {
  prefix: string;
  suffix: string;
}

/**
 * The MD5 of `/account[/container[/object]]` between the cluster's salt, as upstream's
 * `hash_path`: the name of an object's directory and the source of its partition.
 */
export function hashPath(salt: HashPathSalt, account: string, container?: string, object?: string): Buffer {
  let path = `/${account}`;
  if (container !== undefined) path += `/${container}`;
  if (object !== undefined) path += `/${object}`;
  return createHash('md5').update(salt.prefix).update(path).update(salt.suffix).digest();
}

/** The partition a hash falls in: its first four bytes, big-endian, shifted right by `32 - partPower`. */
export function partitionOf(hash: Buffer, partPower: number): number {
  return hash.readUInt32BE(0) >>> (32 - partPower);
}

const hexCache = new Map<string, string>();

/** `hashPath` as hex, remembered for recent paths (servers ask for the same hot objects). */
export function hashPathHex(
  salt: HashPathSalt,
  account: string,
  container?: string,
  object?: string,
): string {
  const key = `${salt.prefix}\u0000${salt.suffix}\u0000${account}\u0000${container ?? '\u0001'}\u0000${object ?? '\u0001'}`;
  let hex = hexCache.get(key);
  if (hex === undefined) {
    hex = hashPath(salt, account, container, object).toString('hex');
    if (hexCache.size >= 8192) hexCache.clear();
    hexCache.set(key, hex);
  }
  return hex;
}
