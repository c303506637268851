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
