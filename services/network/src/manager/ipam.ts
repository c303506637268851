import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Resource } from '../db/resource-store';
import {
  canonicalAddress,
  cidrContains,
  eui64Address,
  formatAddress,
  parseAddress,
  parseCidr,
} from './ip-math';
import {
  invalidInput,
  invalidIpForNetwork,
  invalidIpForSubnet,
  ipAddressAlreadyAllocated,
  ipAddressGenerationFailure,
  NeutronError,
} from './network-errors';
import { isAutoAddress, type PoolBody } from './subnet-manager';

/** One entry of a port's `fixed_ips` as requested. */
export interface FixedIpRequest {
  subnet_id?: string;
  ip_address?: string;
}

/** One address of a port. */
export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

/** Random probes in a large, sparse pool before scanning it. */
const PROBES = 8;

/**
 * Neutron's IPAM over the `ip_allocations` table, inside the caller's transaction: explicit
 * addresses checked, free ones picked (random probes in large pools, a scan otherwise), SLAAC
 * addresses derived from the MAC. The table's primary key (subnet, address) is what makes two
 * concurrent requests unable to take one address: the loser's transaction fails with a
 * duplicate entry and is retried by the caller.
 */
export class Ipam {
  /** Chooses the port's addresses and records them. */
  async allocate(
    trx: Kysely<any>,
    port: { id: string; network_id: string; mac_address: string; device_owner: string },
    subnets: Resource[],
    requests: FixedIpRequest[] | undefined,
  ): Promise<FixedIp[]> {
    const router = port.device_owner.startsWith('network:router');
    const chosen: FixedIp[] = [];
    const byId = new Map(subnets.map((s) => [s.id as string, s]));
    if (requests === undefined) {
      for (const version of [4, 6]) {
        const candidates = subnets.filter((s) => s.ip_version === version && !isAutoAddress(s));
        if (!candidates.length) continue;
        let ip: string | undefined;
        let subnet: Resource | undefined;
        for (subnet of candidates) {
          ip = await this.pickFree(trx, subnet);
          if (ip) break;
        }
        if (!ip || !subnet) throw ipAddressGenerationFailure(port.network_id);
        chosen.push({ subnet_id: subnet.id as string, ip_address: ip });
      }
    } else {
      for (const r of requests) {
        let subnet: Resource | undefined;
        if (r.subnet_id) {
          subnet = byId.get(r.subnet_id);
          if (!subnet)
            throw invalidInput(
              `Failed to create port on network ${port.network_id}, because fixed_ips included invalid subnet ${r.subnet_id}`,
            );
        }
        if (r.ip_address) {
          const ip = canonicalAddress(r.ip_address);
          const addr = parseAddress(ip);
          if (subnet) {
            if (!cidrContains(parseCidr(subnet.cidr as string), addr)) throw invalidIpForSubnet(ip);
          } else {
            subnet = subnets.find((s) => cidrContains(parseCidr(s.cidr as string), addr));
            if (!subnet) throw invalidIpForNetwork(ip);
          }
          const taken = await trx
            .selectFrom('ip_allocations')
            .select('port_id')
            .where('subnet_id', '=', subnet.id as string)
            .where('ip_address', '=', ip)
            .executeTakeFirst();
          if (taken || chosen.some((c) => c.subnet_id === subnet!.id && c.ip_address === ip))
            throw ipAddressAlreadyAllocated(ip, subnet.id as string);
          chosen.push({ subnet_id: subnet.id as string, ip_address: ip });
        } else if (subnet) {
          const ip =
            isAutoAddress(subnet) && !router
              ? eui64Address(parseCidr(subnet.cidr as string), port.mac_address)
              : await this.pickFree(trx, subnet, chosen);
          if (!ip)
            throw new NeutronError(
              'conflict',
              'IpAddressGenerationFailure',
              `No more IP addresses available for subnet ${subnet.id}.`,
            );
          chosen.push({ subnet_id: subnet.id as string, ip_address: ip });
        }
      }
    }
    // Every SLAAC subnet gives ordinary ports an address, asked for or not.
    if (!router) {
      for (const s of subnets) {
        if (isAutoAddress(s) && !chosen.some((c) => c.subnet_id === s.id)) {
          chosen.push({
            subnet_id: s.id as string,
            ip_address: eui64Address(parseCidr(s.cidr as string), port.mac_address),
          });
        }
      }
    }
    if (chosen.length) {
      await trx
        .insertInto('ip_allocations')
        .values(chosen.map((c) => ({ ...c, port_id: port.id, network_id: port.network_id })))
        .execute();
    }
    return chosen;
  }

  /**
   * A free address of a subnet's pools, or undefined when they are full. `chosen` are addresses
   * this request already took but has not written yet (a port asking for a given address and
   * another of the same subnet).
   */
  async pickFree(
    trx: Kysely<any>,
    subnet: Resource,
    chosen: readonly FixedIp[] = [],
  ): Promise<string | undefined> {
    const version = subnet.ip_version as 4 | 6;
    const pools = (subnet.allocation_pools as PoolBody[]).map((p) => ({
      first: parseAddress(p.start).value,
      last: parseAddress(p.end).value,
    }));
    const total = pools.reduce((n, p) => n + (p.last - p.first + 1n), 0n);
    if (total === 0n) return undefined;
    const subnetId = subnet.id as string;
    const mine = new Set(chosen.filter((c) => c.subnet_id === subnetId).map((c) => c.ip_address));
    const at = (offset: bigint) => {
      for (const p of pools) {
        const size = p.last - p.first + 1n;
        if (offset < size) return formatAddress({ version, value: p.first + offset });
        offset -= size;
      }
      return undefined;
    };
    if (total > 1024n) {
      // Random probes, checked in one query: in a pool under three quarters full one of eight is
      // free nine times in ten; a fuller pool falls through to the scan below. (Counting the
      // allocations first would read the whole subnet's index on every port.)
      const probes = [...new Set(Array.from({ length: PROBES }, () => at(randomBigInt(total))!))];
      const taken = await trx
        .selectFrom('ip_allocations')
        .select('ip_address')
        .where('subnet_id', '=', subnetId)
        .where('ip_address', 'in', probes)
        .execute();
      const free = probes.filter((ip) => !mine.has(ip) && !taken.some((t) => t.ip_address === ip));
      if (free.length) return free[0];
    }
    const rows = await trx
      .selectFrom('ip_allocations')
      .select('ip_address')
      .where('subnet_id', '=', subnetId)
      .execute();
    const taken = new Set([...rows.map((r) => r.ip_address as string), ...mine]);
    // A few free candidates, one taken at random: concurrent requests rarely pick the same one.
    const free: string[] = [];
    for (const p of pools) {
      for (let v = p.first; v <= p.last && free.length < 16; v++) {
        const ip = formatAddress({ version, value: v });
        if (!taken.has(ip)) free.push(ip);
      }
      if (free.length >= 16) break;
    }
    return free.length ? free[randomInt(free.length)] : undefined;
  }
}

function randomBigInt(below: bigint): bigint {
  if (below <= BigInt(Number.MAX_SAFE_INTEGER))
    return BigInt(randomInt(Number(below > 281474976710655n ? 281474976710655n : below)));
  return BigInt(randomInt(281474976710655));
}
