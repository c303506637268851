import { describe, expect, it } from 'vitest';
import { cidrWithin, firstFreeBlock, mergeCidrs, quotaUnits } from './prefix-math';

describe('subnet pool prefix math', () => {
  it('merges prefixes as netaddr does', () => {
    expect(mergeCidrs(['10.0.1.0/24', '10.0.0.0/24', '10.0.0.128/25'])).toEqual(['10.0.0.0/23']);
    expect(mergeCidrs(['10.0.0.0/24', '10.0.2.0/24'])).toEqual(['10.0.0.0/24', '10.0.2.0/24']);
    expect(mergeCidrs(['10.0.1.0/24', '10.0.2.0/24'])).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
    expect(mergeCidrs(['2001:db8::/33', '2001:db8:8000::/33'])).toEqual(['2001:db8::/32']);
  });

  it('finds the first free block around used ones', () => {
    expect(firstFreeBlock(['10.0.0.0/16'], [], 24)).toBe('10.0.0.0/24');
    expect(firstFreeBlock(['10.0.0.0/16'], ['10.0.0.0/24', '10.0.1.0/25'], 24)).toBe('10.0.2.0/24');
    expect(firstFreeBlock(['10.0.0.0/24'], ['10.0.0.0/25'], 24)).toBeUndefined();
    expect(firstFreeBlock(['10.0.0.0/24', '10.1.0.0/16'], ['10.0.0.0/25'], 24)).toBe('10.1.0.0/24');
    expect(firstFreeBlock(['2001:db8::/48'], ['2001:db8::/64'], 64)).toBe('2001:db8:0:1::/64');
  });

  it('checks containment and counts quota units', () => {
    expect(cidrWithin('10.0.3.0/24', ['10.0.0.0/22'])).toBe(true);
    expect(cidrWithin('10.0.3.0/24', ['10.0.0.0/23'])).toBe(false);
    expect(quotaUnits('10.0.0.0/24')).toBe(256n);
    expect(quotaUnits('2001:db8::/62')).toBe(4n);
  });
});
