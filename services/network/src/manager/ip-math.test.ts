import { describe, expect, it } from 'vitest';
import { canonicalAddress, defaultPools, eui64Address, formatAddress, parseCidr } from './ip-math';

const pools = (cidr: string, gateway: string | null) => {
  const c = parseCidr(cidr);
  return defaultPools(c, gateway).map(
    (r) =>
      `${formatAddress({ version: c.version, value: r.first })}-${formatAddress({ version: c.version, value: r.last })}`,
  );
};

describe('ip math', () => {
  it('makes the pools Neutron makes around the gateway', () => {
    expect(pools('10.0.0.0/24', '10.0.0.1')).toEqual(['10.0.0.2-10.0.0.254']);
    expect(pools('10.0.0.0/24', '10.0.0.100')).toEqual(['10.0.0.1-10.0.0.99', '10.0.0.101-10.0.0.254']);
    expect(pools('10.0.0.0/24', null)).toEqual(['10.0.0.1-10.0.0.254']);
    // /31 and /32 keep every address; IPv6 keeps the last one.
    expect(pools('10.0.0.0/31', null)).toEqual(['10.0.0.0-10.0.0.1']);
    expect(pools('10.0.0.7/32', null)).toEqual(['10.0.0.7-10.0.0.7']);
    expect(pools('2001:db8::/64', '2001:db8::1')).toEqual(['2001:db8::2-2001:db8::ffff:ffff:ffff:ffff']);
  });

  it('parses CIDRs and tells whether the address was the network', () => {
    expect(parseCidr('10.1.2.3/16')).toMatchObject({ network: '10.1.0.0/16', exact: false, prefixlen: 16 });
    expect(parseCidr('2001:DB8::/48')).toMatchObject({ network: '2001:db8::/48', exact: true, version: 6 });
    expect(canonicalAddress('2001:0db8:0000::0001')).toBe('2001:db8::1');
  });

  it('derives the SLAAC address of a MAC (modified EUI-64)', () => {
    expect(eui64Address(parseCidr('2001:db8:1::/64'), 'fa:16:3e:12:34:56')).toBe(
      '2001:db8:1:0:f816:3eff:fe12:3456',
    );
    expect(eui64Address(parseCidr('fd00::/64'), '00:00:00:00:00:01')).toBe('fd00::200:ff:fe00:1');
  });
});
