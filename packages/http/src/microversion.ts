import { BadRequestError, NimbusError } from '@nimbus/errors';

/** The microversion range of a service and the headers it reads and writes. */
export interface MicroversionSpec {
  /** The service name in `OpenStack-API-Version: <service> <version>` (compute, volume, placement...). */
  service: string;
  min: string;
  max: string;
  /** Older per-service headers still honoured (`X-OpenStack-Nova-API-Version`). */
  legacyHeaders?: readonly string[];
}

/** A negotiated API microversion (`2.53`). Compare with `atLeast` / `atMost`. */
export class Microversion {
  constructor(
    readonly major: number,
    readonly minor: number,
  ) {}

  static parse(text: string): Microversion | undefined {
    const m = /^([1-9]\d*)\.(0|[1-9]\d*)$/.exec(text.trim());
    return m ? new Microversion(Number(m[1]), Number(m[2])) : undefined;
  }

  compare(other: Microversion): number {
    return this.major - other.major || this.minor - other.minor;
  }

  atLeast(version: string): boolean {
    return this.compare(mustParse(version)) >= 0;
  }

  atMost(version: string): boolean {
    return this.compare(mustParse(version)) <= 0;
  }

  toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

/** Literals compared against, parsed once (views compare per item of a list). */
const literals = new Map<string, Microversion>();

function mustParse(version: string): Microversion {
  const known = literals.get(version);
  if (known) return known;
  const v = Microversion.parse(version);
  if (!v) throw new Error(`invalid microversion literal ${version}`);
  if (literals.size < 1000) literals.set(version, v);
  return v;
}

/** Raised when the requested microversion is outside the supported range (406). */
export class MicroversionNotAcceptable extends NimbusError {
  constructor(requested: string, spec: MicroversionSpec) {
    super(
      'not_acceptable',
      `Version ${requested} is not supported by the API. Minimum is ${spec.min} and maximum is ${spec.max}.`,
      { code: 'MICROVERSION_NOT_ACCEPTABLE' },
    );
  }
}

/**
 * Picks the request's microversion from `OpenStack-API-Version` (which may list several services)
 * or a legacy header; absent means the minimum, `latest` the maximum. Malformed → 400, out of range → 406.
 */
export function negotiateMicroversion(
  headers: Record<string, string | string[] | undefined>,
  spec: MicroversionSpec,
): Microversion {
  let requested: string | undefined;
  const modern = headerText(headers['openstack-api-version']);
  if (modern) {
    for (const part of modern.split(',')) {
      const [service, version] = part.trim().split(/\s+/, 2);
      if (service?.toLowerCase() === spec.service) requested = version ?? '';
    }
  }
  if (requested === undefined) {
    for (const name of spec.legacyHeaders ?? []) {
      const value = headerText(headers[name.toLowerCase()]);
      if (value) {
        requested = value.trim();
        break;
      }
    }
  }
  const min = mustParse(spec.min);
  const max = mustParse(spec.max);
  if (requested === undefined) return min;
  if (requested.toLowerCase() === 'latest') return max;
  const version = Microversion.parse(requested);
  if (!version)
    throw new BadRequestError(
      `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`,
    );
  if (version.compare(min) < 0 || version.compare(max) > 0)
    throw new MicroversionNotAcceptable(requested, spec);
  return version;
}

/** The response headers that announce the negotiated version. */
export function microversionHeaders(version: Microversion, spec: MicroversionSpec): Record<string, string> {
  const headers: Record<string, string> = { 'openstack-api-version': `${spec.service} ${version}` };
  const vary = ['OpenStack-API-Version'];
  for (const name of spec.legacyHeaders ?? []) {
    headers[name.toLowerCase()] = String(version);
    vary.push(name);
  }
  headers.vary = vary.join(', ');
  return headers;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
