import ipaddr from 'ipaddr.js';

/** An address as a number, with its version, for range arithmetic. */
export interface Address {
  version: 4 | 6;
  value: bigint;
}

/** Parses an IPv4 or IPv6 address. */
export function parseAddress(text: string): Address {
  const a = ipaddr.parse(text);
  const bytes = a.toByteArray();
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return { version: a.kind() === 'ipv4' ? 4 : 6, value };
}

/** The canonical text of an address (IPv6 compressed, as netaddr prints it). */
export function formatAddress(a: Address): string {
  const len = a.version === 4 ? 4 : 16;
  const bytes: number[] = [];
  let v = a.value;
  for (let i = 0; i < len; i++) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** Normalises an address's text (`2001:DB8::0001` → `2001:db8::1`). */
export const canonicalAddress = (text: string) => formatAddress(parseAddress(text));

/** A CIDR as numbers: first and last address, prefix length. */
export interface Cidr {
  version: 4 | 6;
  first: bigint;
  last: bigint;
  prefixlen: number;
}

/** Parses `addr/len`; `exact` tells whether the address was the network address. */
export function parseCidr(text: string): Cidr & { exact: boolean; network: string } {
  const [addr, len] = ipaddr.parseCIDR(text);
  const a = parseAddress(addr.toString());
  const bits = a.version === 4 ? 32 : 128;
  const hostBits = BigInt(bits - len);
  const first = (a.value >> hostBits) << hostBits;
  const last = first + (1n << hostBits) - 1n;
  const network = `${formatAddress({ version: a.version, value: first })}/${len}`;
  return { version: a.version, first, last, prefixlen: len, exact: first === a.value, network };
}

/** Whether an address falls in a CIDR. */
export function cidrContains(cidr: Cidr, a: Address): boolean {
  return a.version === cidr.version && a.value >= cidr.first && a.value <= cidr.last;
}

/** Whether two CIDRs share an address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/** An inclusive range of addresses. */
export interface Range {
  first: bigint;
  last: bigint;
}

/**
 * The allocation pools Neutron makes when none are given: the whole CIDR less the network
 * address, less the broadcast address in IPv4 (prefixes up to /30), less the gateway.
 */
export function defaultPools(cidr: Cidr, gateway: string | null): Range[] {
  if (cidr.first === cidr.last) return [{ first: cidr.first, last: cidr.last }];
  let first = cidr.first;
  let last = cidr.last;
  if (cidr.version === 6 || cidr.prefixlen <= 30) first += 1n;
  if (cidr.version === 4 && cidr.prefixlen <= 30) last -= 1n;
  const ranges: Range[] = [{ first, last }];
  if (!gateway) return ranges;
  const g = parseAddress(gateway).value;
  return ranges.flatMap((r) => {
    if (g < r.first || g > r.last) return [r];
    return [
      ...(g > r.first ? [{ first: r.first, last: g - 1n }] : []),
      ...(g < r.last ? [{ first: g + 1n, last: r.last }] : []),
    ];
  });
}

/** The modified EUI-64 address of a MAC in a /64 prefix (RFC 4291), as SLAAC gives it. */
export function eui64Address(cidr: Cidr, mac: string): string {
  const bytes = mac.split(':').map((h) => Number.parseInt(h, 16));
  const iid = [bytes[0]! ^ 0x02, bytes[1]!, bytes[2]!, 0xff, 0xfe, bytes[3]!, bytes[4]!, bytes[5]!];
  let value = 0n;
  for (const b of iid) value = (value << 8n) | BigInt(b);
  return formatAddress({ version: 6, value: cidr.first | value });
}
