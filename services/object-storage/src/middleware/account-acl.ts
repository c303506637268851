import type { AccountAcl } from '../common/swift-http';

const LEVELS = ['admin', 'read-write', 'read-only'] as const;

/** Reads a stored account ACL; undefined when absent or unreadable. */
export function parseAccountAcl(value: string | undefined): AccountAcl | undefined {
  if (!value) return undefined;
  try {
    const doc = JSON.parse(value) as Partial<AccountAcl>;
    return {
      admin: doc.admin ?? [],
      'read-write': doc['read-write'] ?? [],
      'read-only': doc['read-only'] ?? [],
    };
  } catch {
    return undefined;
  }
}

/**
 * Checks an `X-Account-Access-Control` value: a JSON object whose only keys are admin,
 * read-write and read-only, each a list of strings. Answers the normalised JSON, or why not.
 */
export function validateAccountAcl(value: string): { json: string } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    return { error: 'Invalid JSON in X-Account-Access-Control' };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { error: 'X-Account-Access-Control must be a JSON object' };
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (!(LEVELS as readonly string[]).includes(k))
      return { error: `Key '${k}' not recognized in X-Account-Access-Control` };
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      return { error: `Value for key '${k}' must be a list of strings` };
    if (v.length) out[k] = v as string[];
  }
  return { json: JSON.stringify(out) };
}

/** The highest level an ACL grants to any of the caller's identities, or undefined. */
export function accountAccess(
  acl: AccountAcl,
  matches: (entry: string) => boolean,
): 'admin' | 'read-write' | 'read-only' | undefined {
  for (const level of LEVELS) if (acl[level].some(matches)) return level;
  return undefined;
}
