import { describe, expect, it } from 'vitest';
import { canonicalUuid, isUuidLike, validateJson } from './json-validation';
import { allocationPut112, inventoriesPut, providerPost } from './placement-schemas';
import { parseResources, parseTraitValue } from './query-filters';

const messageOf = (fn: () => void): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a failure');
};

describe('validation worded as Python jsonschema', () => {
  it('names the missing property and the failing schema path', () => {
    const m = messageOf(() =>
      validateJson(
        inventoriesPut,
        { resource_provider_generation: 0, inventories: { VCPU: { total: 0 } } },
        'JSON does not validate: ',
      ),
    );
    expect(m).toContain('JSON does not validate: 0 is less than the minimum of 1');
    expect(m).toContain(
      "Failed validating 'minimum' in schema['properties']['inventories']['patternProperties']['^[A-Z0-9_]+$']['properties']['total']",
    );
  });

  it('words unexpected properties and pattern-keyed objects as upstream', () => {
    expect(messageOf(() => validateJson(providerPost, { name: 'a', colour: 'x' }, ''))).toMatch(
      /^Additional properties are not allowed \('colour' was unexpected\)/,
    );
    const body = {
      allocations: { '6a7c5b0e-1234-4321-abcd-00000000000f': { resources: { vcpu: 1 } } },
      project_id: 'p',
      user_id: 'u',
    };
    expect(messageOf(() => validateJson(allocationPut112, body, ''))).toMatch(
      /^'vcpu' does not match any of the regexes: '\^\[A-Z0-9_\]\+\$'/,
    );
    expect(messageOf(() => validateJson(providerPost, { name: 'a', uuid: 'nope' }, ''))).toMatch(
      /^'nope' is not a 'uuid'/,
    );
  });
});

describe('UUIDs as oslo reads them', () => {
  it('accepts any spelling Python uuid.UUID takes and canonicalises it', () => {
    expect(isUuidLike('6A7C5B0E-1234-4321-ABCD-00000000000F')).toBe(true);
    expect(isUuidLike('6a7c5b0e123443 21abcd00000000000f'.replace(' ', ''))).toBe(true);
    expect(isUuidLike('not-a-uuid')).toBe(false);
    expect(canonicalUuid('6A7C5B0E123443 21ABCD00000000000F'.replace(' ', ''))).toBe(
      '6a7c5b0e-1234-4321-abcd-00000000000f',
    );
  });
});

describe('query values', () => {
  it('parses resources with upstream messages', () => {
    expect(parseResources('VCPU:2,MEMORY_MB:1024')).toEqual(
      new Map([
        ['VCPU', 2],
        ['MEMORY_MB', 1024],
      ]),
    );
    expect(messageOf(() => parseResources('VCPU:-2'))).toBe(
      'Requested resource VCPU requires amount >= 1. Got: -2.',
    );
    expect(messageOf(() => parseResources('VCPU'))).toContain('Got: VCPU.');
  });

  it('parses required traits, forbidden ones from 1.22 and any-of from 1.39', () => {
    expect(parseTraitValue('A,!B', true, true)).toEqual({ required: [['A']], forbidden: ['B'] });
    expect(parseTraitValue('in:A,B', true, true)).toEqual({ required: [['A', 'B']], forbidden: [] });
    expect(messageOf(() => parseTraitValue('in:A,B', true, false))).toContain(
      'only supported since microversion 1.39',
    );
    expect(messageOf(() => parseTraitValue('!B', false, false))).toContain('Got: !B');
  });
});
