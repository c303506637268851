import { type Cidr, formatAddress, parseCidr } from './ip-math';

const bitsOf = (version: 4 | 6) => (version === 4 ? 32 : 128);

/** A CIDR's text from its numbers. */
export const cidrText = (c: Cidr) =>
  `${formatAddress({ version: c.version, value: c.first })}/${c.prefixlen}`;

/**
 * The smallest list of CIDRs covering the same addresses (netaddr's cidr_merge, which Neutron
 * applies to a pool's prefixes): overlapping and adjacent blocks merged, sorted.
 */
export function mergeCidrs(texts: readonly string[]): string[] {
  const cidrs = texts.map(parseCidr);
  if (!cidrs.length) return [];
  const version = cidrs[0]!.version;
  const ranges = cidrs
    .map((c) => ({ first: c.first, last: c.last }))
    .sort((a, b) => (a.first < b.first ? -1 : 1));
  const merged: { first: bigint; last: bigint }[] = [];
  for (const r of ranges) {
    const top = merged.at(-1);
    if (top && r.first <= top.last + 1n) top.last = r.last > top.last ? r.last : top.last;
    else merged.push({ ...r });
  }
  return merged.flatMap((r) => rangeToCidrs(version, r.first, r.last)).map(cidrText);
}

/** The CIDRs that exactly cover an address range, largest first from its start. */
function rangeToCidrs(version: 4 | 6, first: bigint, last: bigint): Cidr[] {
  const bits = bitsOf(version);
  const out: Cidr[] = [];
  let start = first;
  while (start <= last) {
    let size = 0;
    while (size < bits) {
      const next = size + 1;
      const block = 1n << BigInt(next);
      if (start % block !== 0n || start + block - 1n > last) break;
      size = next;
    }
    const end = start + (1n << BigInt(size)) - 1n;
    out.push({ version, first: start, last: end, prefixlen: bits - size });
    start = end + 1n;
  }
  return out;
}

/**
 * The first block of `prefixlen` inside `prefixes` that overlaps none of `used`, or undefined.
 * Blocks are tried in address order, skipping past each used CIDR they hit.
 */
export function firstFreeBlock(
  prefixes: readonly string[],
  used: readonly string[],
  prefixlen: number,
): string | undefined {
  const taken = used.map(parseCidr).sort((a, b) => (a.first < b.first ? -1 : 1));
  for (const text of prefixes) {
    const p = parseCidr(text);
    if (prefixlen < p.prefixlen) continue;
    const size = 1n << BigInt(bitsOf(p.version) - prefixlen);
    let start = p.first;
    while (start + size - 1n <= p.last) {
      const end = start + size - 1n;
      const hit = taken.find((t) => t.first <= end && start <= t.last);
      if (!hit) return cidrText({ version: p.version, first: start, last: end, prefixlen });
      // Past the used block, aligned up to the next block boundary.
      const after = hit.last + 1n;
      start = ((after + size - 1n) / size) * size;
    }
  }
  return undefined;
}

/** Whether `inner` lies wholly inside one of `outer`. */
export function cidrWithin(inner: string, outer: readonly string[]): boolean {
  const i = parseCidr(inner);
  return outer.map(parseCidr).some((o) => o.version === i.version && o.first <= i.first && i.last <= o.last);
}

/** Addresses of a CIDR, as subnet pool quotas count them (IPv6: in /64 units). */
export function quotaUnits(text: string): bigint {
  const c = parseCidr(text);
  return c.version === 4 ? c.last - c.first + 1n : (c.last - c.first + 1n) >> 64n;
}
