import { CinderInvalid } from './cinder-errors';

/** Parses a requested size in GB as Cinder does: an integer > 0, given as number or string. */
export function parseSize(value: unknown, what = 'size'): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new CinderInvalid(`Invalid input received: ${what} must be an integer (${String(value)}).`);
  }
  if (n <= 0) {
    throw new CinderInvalid(
      `Invalid input received: ${what} must be an integer and greater than 0, got ${n}.`,
    );
  }
  if (n > 2 ** 31 - 1)
    throw new CinderInvalid(`Invalid input received: ${what} must be less than 2147483647.`);
  return n;
}
