import { CinderInvalid } from '../manager/cinder-errors';
import type { Req } from './cinder-request';

/** Query keys that steer a list rather than filter it. */
export const CONTROL = new Set([
  'limit',
  'marker',
  'offset',
  'sort',
  'sort_key',
  'sort_dir',
  'all_tenants',
  'with_count',
  'project_id',
  'fields',
]);

/** A dict-valued filter as clients send it: JSON, or Python's repr (`{'k': 'v'}`) as Tempest does. */
export function parseDictFilter(text: string): Record<string, string> {
  for (const candidate of [text, text.replace(/'/g, '"')]) {
    try {
      const v = JSON.parse(candidate);
      if (v && typeof v === 'object' && !Array.isArray(v))
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
    } catch {
      // not this spelling
    }
  }
  throw new CinderInvalid(`Invalid input received: invalid filter value ${text}`);
}

/**
 * The filters of a list request, as `(record) => boolean`: exact match on the allowed keys, `~`
 * suffixed keys as a substring match (`name~`, 3.34), dict filters on metadata. Unknown keys
 * are ignored before 3.34 and rejected after, as Cinder's resource filters.
 */
export function listFilters<T>(
  req: Req,
  allowed: Record<string, (record: T) => unknown>,
): ((record: T) => boolean)[] {
  const out: ((record: T) => boolean)[] = [];
  const query = req.query as Record<string, unknown>;
  for (const [rawKey, rawValue] of Object.entries(query)) {
    if (CONTROL.has(rawKey)) continue;
    const value = Array.isArray(rawValue) ? String(rawValue[rawValue.length - 1]) : String(rawValue);
    const like = rawKey.endsWith('~');
    const key = like ? rawKey.slice(0, -1) : rawKey;
    const get = allowed[key] ?? allowed[key.replace(/^display_/, '')];
    if (!get) {
      if (req.microversion.atLeast('3.34'))
        throw new CinderInvalid(
          `Invalid input received: Invalid filters ${rawKey} are found in query options.`,
        );
      continue;
    }
    if (key === 'metadata' || key === 'image_metadata' || key === 'volume_image_metadata') {
      const wanted = parseDictFilter(value);
      out.push((r) => {
        const have = (get(r) ?? {}) as Record<string, string>;
        return Object.entries(wanted).every(([k, v]) => have[k] === v);
      });
      continue;
    }
    if (like && req.microversion.atLeast('3.34')) {
      out.push((r) => String(get(r) ?? '').includes(value));
      continue;
    }
    if (key === 'bootable') {
      const b = ['true', '1', 't', 'yes', 'y', 'on'].includes(value.toLowerCase());
      out.push((r) => get(r) === b);
      continue;
    }
    out.push((r) => String(get(r) ?? '') === value);
  }
  return out;
}
