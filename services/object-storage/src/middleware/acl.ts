import type { ContainerAcls, SwiftRequest } from '../common/swift-http';

/** One parsed container ACL: referrer rules and the named groups or users it grants. */
export interface ParsedAcl {
  referrers: string[];
  groups: string[];
  listings: boolean;
}

/** Parses `X-Container-Read`/`-Write` (`.r:*,.rlistings,project:user,role`), as upstream's `parse_acl`. */
export function parseAcl(value: string | undefined): ParsedAcl {
  const acl: ParsedAcl = { referrers: [], groups: [], listings: false };
  if (!value) return acl;
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    if (item === '.rlistings') acl.listings = true;
    else if (/^\.r(ef|eferer|eferrer)?:/.test(item))
      acl.referrers.push(item.slice(item.indexOf(':') + 1).trim());
    else acl.groups.push(item);
  }
  return acl;
}

/** Whether a referrer rule set lets a request from `referrer` in (`*`, `.example.com`, `-host` to deny). */
export function referrerAllowed(referrer: string | undefined, rules: readonly string[]): boolean {
  let host = '';
  if (referrer) {
    try {
      host = new URL(referrer).hostname;
    } catch {
      host = '';
    }
  }
  let allow = false;
  for (const rule of rules) {
    const deny = rule.startsWith('-');
    const r = deny ? rule.slice(1) : rule;
    const hit = r === '*' || (host !== '' && (r === host || (r.startsWith('.') && host.endsWith(r))));
    if (hit) allow = !deny;
  }
  return allow;
}

/**
 * Whether a container's ACLs let this request in: the write ACL for writes, the read ACL for
 * reads, where a named group (`grants`, per auth system) or a referrer rule may admit it; an
 * anonymous container listing also needs `.rlistings`.
 */
export function containerAclAllows(
  req: SwiftRequest,
  acls: ContainerAcls,
  isObject: boolean,
  grants: (groups: readonly string[]) => boolean,
): boolean {
  const read = req.method === 'GET' || req.method === 'HEAD';
  const acl = parseAcl(read ? acls.read : acls.write);
  if (grants(acl.groups)) return true;
  return read && referrerAllowed(req.headers.referer, acl.referrers) && (isObject || acl.listings);
}
