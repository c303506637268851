import { BadRequestError } from '@nimbus/errors';

/**
 * A point in time with microsecond precision, as Keystone keeps `expires_at` values. JavaScript's
 * Date only holds milliseconds, and clients compare the microseconds they sent with what comes back.
 */
export interface IsoTime {
  /** Canonical stored form: `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, sorts as text). */
  stored: string;
  /** Milliseconds since the epoch. */
  epochMs: number;
}

const ISO =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Keystone's ValidationTimeStampError. */
export class InvalidTimestamp extends BadRequestError {
  constructor() {
    super(
      'Timestamp not in expected format. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.',
      { code: 'IDENTITY_INVALID_TIMESTAMP' },
    );
  }
}

/** Keystone's ValidationExpirationError. */
export class ExpiryInThePast extends BadRequestError {
  constructor() {
    super(
      "The 'expires_at' must not be before now. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
      { code: 'IDENTITY_EXPIRY_IN_THE_PAST' },
    );
  }
}

/**
 * Parses an ISO 8601 time as oslo's parse_isotime does (naive times are UTC; offsets are applied).
 * Throws InvalidTimestamp on anything else.
 */
export function parseIsoTime(text: string): IsoTime {
  const m = ISO.exec(text.trim());
  if (!m) throw new InvalidTimestamp();
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const micro = (frac + '000000').slice(0, 6);
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(base);
  if (
    Number.isNaN(base) ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw new InvalidTimestamp();
  }
  let offsetMs = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * 60_000;
  }
  const epochSeconds = Math.floor((base - offsetMs) / 1000);
  const whole = new Date(epochSeconds * 1000).toISOString().slice(0, 19);
  return { stored: `${whole}.${micro}Z`, epochMs: epochSeconds * 1000 + Number(micro) / 1000 };
}

/** Parses an `expires_at` and refuses one in the past (Keystone's parse_expiration_date). */
export function parseExpiry(text: string, nowMs = Date.now()): IsoTime {
  const t = parseIsoTime(text);
  if (t.epochMs < nowMs) throw new ExpiryInThePast();
  return t;
}

/** Milliseconds since the epoch of a stored time. */
export function storedToMs(stored: string): number {
  return parseIsoTime(stored).epochMs;
}

/** The stored form of a Date (microseconds are zero). */
export function toStored(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Keystone's `utils.isotime(t, subsecond=True)`: `2026-11-24T19:10:00.123456Z`. */
export function isotimeSubsecond(stored: string): string {
  return stored;
}

/** Keystone's `utils.isotime(t)`: `2026-11-24T19:10:00Z`, no fraction. */
export function isotimeSeconds(stored: string): string {
  return `${stored.slice(0, 19)}Z`;
}

/**
 * Python's naive `datetime.isoformat()`, which Keystone emits when it serialises a datetime as is
 * (application credentials): no zone, and the fraction only when it is not zero.
 */
export function pythonIsoformat(stored: string): string {
  const micro = stored.slice(20, 26);
  return micro === '000000' ? stored.slice(0, 19) : `${stored.slice(0, 19)}.${micro}`;
}
