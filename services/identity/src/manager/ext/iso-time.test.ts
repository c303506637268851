import { describe, expect, it } from 'vitest';
import {
  ExpiryInThePast,
  InvalidTimestamp,
  isotimeSeconds,
  parseExpiry,
  parseIsoTime,
  pythonIsoformat,
} from './iso-time';

describe('iso-time', () => {
  it('keeps microseconds and applies offsets', () => {
    expect(parseIsoTime('2030-01-02T03:04:05.123456').stored).toBe('2030-01-02T03:04:05.123456Z');
    expect(parseIsoTime('2030-01-02T03:04:05Z').stored).toBe('2030-01-02T03:04:05.000000Z');
    expect(parseIsoTime('2030-01-02T03:04:05+01:00').stored).toBe('2030-01-02T02:04:05.000000Z');
    expect(parseIsoTime('2030-01-02').stored).toBe('2030-01-02T00:00:00.000000Z');
  });

  it('refuses malformed and past times as Keystone does', () => {
    expect(() => parseIsoTime('bad.123Z')).toThrow(InvalidTimestamp);
    expect(() => parseIsoTime('2030-02-30T00:00:00Z')).toThrow(InvalidTimestamp);
    expect(() => parseExpiry('2000-01-01T00:00:00Z')).toThrow(ExpiryInThePast);
  });

  it('renders the forms clients compare against', () => {
    expect(pythonIsoformat('2030-01-02T03:04:05.000000Z')).toBe('2030-01-02T03:04:05');
    expect(pythonIsoformat('2030-01-02T03:04:05.120000Z')).toBe('2030-01-02T03:04:05.120000');
    expect(isotimeSeconds('2030-01-02T03:04:05.120000Z')).toBe('2030-01-02T03:04:05Z');
  });
});
