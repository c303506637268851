import type { Resource } from '../db/resource-store';
import { type Cidr, cidrContains, formatAddress, parseAddress, parseCidr, type Range } from './ip-math';
import { invalidInput, NeutronError } from './network-errors';
import { isAutoAddress, type PoolBody, type SubnetLimits } from './subnet-manager';

/** The IPv6 mode rules: v6 only, modes equal when both set, DHCP on for DHCPv6, /64 for SLAAC. */
export function checkIpv6Modes(item: Resource): void {
  const ra = item.ipv6_ra_mode;
  const addr = item.ipv6_address_mode;
  if (item.ip_version === 4 && (ra || addr))
    throw invalidInput(
      'ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False or ip_version is 4',
    );
  if (ra && addr && ra !== addr) {
    throw invalidInput(
      `ipv6_ra_mode set to '${ra}' with ipv6_address_mode set to '${addr}' is not valid. If both attributes are set, they must be the same value`,
    );
  }
  if (
    (ra || addr) &&
    item.enable_dhcp === false &&
    (addr === 'dhcpv6-stateful' || addr === 'dhcpv6-stateless')
  ) {
    throw invalidInput('ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False');
  }
  if (isAutoAddress(item) && parseCidr(item.cidr as string).prefixlen !== 64) {
    throw invalidInput(
      'Invalid CIDR for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64',
    );
  }
}

/** A gateway of the subnet's version that is not its network or broadcast address. */
export function checkGateway(cidr: Cidr, gateway: string): void {
  const g = parseAddress(gateway);
  if (g.version !== cidr.version)
    throw invalidInput(`Gateway IP version inconsistent with allocation pool version`);
  if (
    cidrContains(cidr, g) &&
    cidr.version === 4 &&
    cidr.prefixlen < 31 &&
    (g.value === cidr.first || g.value === cidr.last)
  ) {
    throw invalidInput(`Gateway is not valid on subnet`);
  }
}

/** Allocation pools inside the CIDR, ordered, not overlapping, not holding the gateway. */
export function checkPools(cidr: Cidr, pools: PoolBody[], gateway: string | null): Range[] {
  const ranges = pools.map((p) => {
    const first = parseAddress(p.start);
    const last = parseAddress(p.end);
    const text = `${p.start}-${p.end}`;
    if (first.version !== cidr.version || last.version !== cidr.version || first.value > last.value) {
      throw new NeutronError(
        'bad_request',
        'InvalidAllocationPool',
        `The allocation pool ${text} is not valid.`,
      );
    }
    if (!cidrContains(cidr, first) || !cidrContains(cidr, last)) {
      throw new NeutronError(
        'bad_request',
        'OutOfBoundsAllocationPool',
        `The allocation pool ${text} spans beyond the subnet cidr ${cidr.version === 4 ? formatAddress({ version: 4, value: cidr.first }) : formatAddress({ version: 6, value: cidr.first })}/${cidr.prefixlen}.`,
      );
    }
    return { first: first.value, last: last.value, text };
  });
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.first <= sorted[i - 1]!.last) {
      throw new NeutronError(
        'conflict',
        'OverlappingAllocationPools',
        `Found overlapping allocation pools: ${sorted[i]!.text} and ${sorted[i - 1]!.text} for subnet ${formatAddress({ version: cidr.version, value: cidr.first })}/${cidr.prefixlen}.`,
      );
    }
  }
  if (gateway) {
    const g = parseAddress(gateway).value;
    const hit = ranges.find((r) => g >= r.first && g <= r.last);
    if (hit)
      throw new NeutronError(
        'conflict',
        'GatewayConflictWithAllocationPools',
        `Gateway ip ${gateway} conflicts with allocation pool ${hit.text}.`,
      );
  }
  return ranges.map(({ first, last }) => ({ first, last }));
}

/** DNS nameservers and host routes: within the limits, unique, of the subnet's version. */
export function checkLists(item: Resource, cidr: Cidr, limits: SubnetLimits): void {
  const id = (item.id as string | undefined) ?? '';
  const dns = item.dns_nameservers as string[] | undefined;
  if (dns && dns.length > limits.maxDnsNameservers) {
    throw new NeutronError(
      'bad_request',
      'DNSNameServersExhausted',
      `Unable to complete operation for ${id}. The number of DNS nameservers exceeds the limit ${limits.maxDnsNameservers}.`,
    );
  }
  if (dns && new Set(dns).size !== dns.length)
    throw invalidInput(`Duplicate nameserver '${dns.find((d, i) => dns.indexOf(d) !== i)}'`);
  const routes = item.host_routes as { destination: string; nexthop: string }[] | undefined;
  if (routes && routes.length > limits.maxHostRoutes) {
    throw new NeutronError(
      'bad_request',
      'HostRoutesExhausted',
      `Unable to complete operation for ${id}. The number of host routes exceeds the limit ${limits.maxHostRoutes}.`,
    );
  }
  for (const r of routes ?? []) {
    if (
      parseCidr(r.destination).version !== cidr.version ||
      parseAddress(r.nexthop).version !== cidr.version
    ) {
      throw invalidInput(
        `Host route ${r.destination} via ${r.nexthop} does not match the subnet's IP version`,
      );
    }
  }
}
