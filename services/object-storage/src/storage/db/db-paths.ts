import { join } from 'node:path';
import { CONTAINER_SETTINGS } from '../../common/stored-headers';
import { type HashPathSalt, hashPath } from '../../ring/hash-path';

/** `<root>/<device>/<kind>s/<part>/<suffix>/<hash>/<hash>.db`, as upstream lays out its databases. */
export function dbPath(
  root: string,
  device: string,
  part: string | number,
  kind: 'account' | 'container',
  salt: HashPathSalt,
  account: string,
  container?: string,
): string {
  const hash = hashPath(salt, account, container).toString('hex');
  return join(root, device, `${kind}s`, String(part), hash.slice(-3), hash, `${hash}.db`);
}

/** Splits `/<device>/<part>/<account>[/<container>[/<object>]]`; the object keeps its slashes. */
export function splitDbPath(
  path: string,
): { device: string; part: string; account: string; container?: string; object?: string } | undefined {
  const parts = path.split('/');
  if (parts[0] !== '' || parts.length < 4) return undefined;
  const [, device, part, account, container, ...rest] = parts;
  if (!device || !part || !account) return undefined;
  const object = rest.length ? rest.join('/') : undefined;
  if (container === '' || object === '') return undefined;
  return { device, part, account, container, object };
}

/** Metadata headers a PUT or POST may set on an account or container. */
export function metadataHeaders(
  headers: Record<string, string>,
  kind: 'account' | 'container',
): Record<string, string> {
  const out: Record<string, string> = {};
  const special = kind === 'container' ? [...CONTAINER_SETTINGS, 'x-versions-mode'] : [];
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith(`x-${kind}-meta-`) || k.startsWith(`x-${kind}-sysmeta-`) || special.includes(k))
      out[k] = v;
  }
  if (kind === 'container') {
    for (const k of Object.keys(headers))
      if (k.startsWith('x-remove-container-meta-')) out[`x-container-meta-${k.slice(24)}`] = '';
  } else {
    for (const k of Object.keys(headers))
      if (k.startsWith('x-remove-account-meta-')) out[`x-account-meta-${k.slice(22)}`] = '';
  }
  return out;
}
