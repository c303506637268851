import { decode, encode } from '@msgpack/msgpack';

/** What a token says, whatever its scope. Ids are strings; the packing handles their byte forms. */
export interface TokenPayload {
  userId: string;
  methods: string[];
  /** Seconds since the epoch (float, as Keystone stores it). */
  expiresAt: number;
  /** The token's own audit id first, then its parent's (the audit chain). */
  auditIds: string[];
  projectId?: string;
  domainId?: string;
  /** `all` for system-scoped tokens. */
  system?: string;
  trustId?: string;
  applicationCredentialId?: string;
  accessTokenId?: string;
  federated?: { groupIds: string[]; identityProviderId: string; protocolId: string };
}

/** Payload versions, as Keystone numbers them. */
export const PayloadVersion = {
  unscoped: 0,
  domainScoped: 1,
  projectScoped: 2,
  trustScoped: 3,
  federatedUnscoped: 4,
  federatedProjectScoped: 5,
  federatedDomainScoped: 6,
  oauthScoped: 7,
  systemScoped: 8,
  applicationCredentialScoped: 9,
} as const;

/** Keystone's default `[auth] methods`: each method's bit is 2^(its position). */
export const DEFAULT_AUTH_METHODS = [
  'external',
  'password',
  'token',
  'oauth1',
  'mapped',
  'application_credential',
] as const;

/** A token payload that cannot be unpacked. */
export class MalformedPayload extends Error {}

const UUID_HEX = /^[0-9a-f]{32}$/;

/** Ids that are uuid4 hex travel as 16 bytes, others as text: `[isBytes, value]` as upstream. */
function packId(id: string): [boolean, Uint8Array | string] {
  return UUID_HEX.test(id) ? [true, Buffer.from(id, 'hex')] : [false, id];
}

function unpackId(value: unknown): string {
  if (!Array.isArray(value) || value.length !== 2) throw new MalformedPayload('bad id');
  const [isBytes, v] = value as [unknown, unknown];
  if (isBytes === true && v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (isBytes === false && typeof v === 'string') return v;
  if (isBytes === false && v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  throw new MalformedPayload('bad id');
}

/** Audit ids are 16 random bytes shown as url-safe base64 without padding (22 characters). */
function packAuditIds(ids: string[]): Uint8Array[] {
  return ids.map((id) => Buffer.from(id, 'base64url'));
}

function unpackAuditIds(value: unknown): string[] {
  if (!Array.isArray(value)) throw new MalformedPayload('bad audit ids');
  return value.map((v) => {
    if (!(v instanceof Uint8Array)) throw new MalformedPayload('bad audit id');
    return Buffer.from(v).toString('base64url');
  });
}

/**
 * The bitmask of methods, per the configured method order. A method outside it (ec2tokens'
 * `ec2credential`) adds no bit, as Keystone's `convert_method_list_to_integer`.
 */
export function methodsToInt(
  methods: readonly string[],
  order: readonly string[] = DEFAULT_AUTH_METHODS,
): number {
  let n = 0;
  for (const m of methods) {
    const i = order.indexOf(m);
    if (i >= 0) n |= 1 << i;
  }
  return n;
}

/** The methods of a bitmask. */
export function intToMethods(n: number, order: readonly string[] = DEFAULT_AUTH_METHODS): string[] {
  return order.filter((_m, i) => (n & (1 << i)) !== 0);
}

/** The payload version a token's scope calls for. */
export function payloadVersion(p: TokenPayload): number {
  if (p.federated)
    return p.projectId
      ? PayloadVersion.federatedProjectScoped
      : p.domainId
        ? PayloadVersion.federatedDomainScoped
        : PayloadVersion.federatedUnscoped;
  if (p.trustId) return PayloadVersion.trustScoped;
  if (p.accessTokenId) return PayloadVersion.oauthScoped;
  if (p.applicationCredentialId) return PayloadVersion.applicationCredentialScoped;
  if (p.system) return PayloadVersion.systemScoped;
  if (p.projectId) return PayloadVersion.projectScoped;
  if (p.domainId) return PayloadVersion.domainScoped;
  return PayloadVersion.unscoped;
}

/** Packs a payload as Keystone does: msgpack of `[version, ...fields]`. */
export function packPayload(
  p: TokenPayload,
  methodOrder: readonly string[] = DEFAULT_AUTH_METHODS,
): Uint8Array {
  const user = packId(p.userId);
  const methods = methodsToInt(p.methods, methodOrder);
  const audit = packAuditIds(p.auditIds);
  const v = payloadVersion(p);
  const need = (id: string | undefined, what: string) => {
    if (!id) throw new Error(`${what} is required for payload version ${v}`);
    return packId(id);
  };
  let fields: unknown[];
  switch (v) {
    case PayloadVersion.unscoped:
      fields = [user, methods, p.expiresAt, audit];
      break;
    case PayloadVersion.domainScoped:
      fields = [user, methods, need(p.domainId, 'domain'), p.expiresAt, audit];
      break;
    case PayloadVersion.projectScoped:
      fields = [user, methods, need(p.projectId, 'project'), p.expiresAt, audit];
      break;
    case PayloadVersion.trustScoped:
      fields = [user, methods, need(p.projectId, 'project'), p.expiresAt, audit, need(p.trustId, 'trust')];
      break;
    case PayloadVersion.oauthScoped:
      fields = [
        user,
        methods,
        need(p.projectId, 'project'),
        need(p.accessTokenId, 'access token'),
        p.expiresAt,
        audit,
      ];
      break;
    case PayloadVersion.systemScoped:
      fields = [user, methods, p.system, p.expiresAt, audit];
      break;
    case PayloadVersion.applicationCredentialScoped:
      fields = [
        user,
        methods,
        need(p.projectId, 'project'),
        p.expiresAt,
        audit,
        need(p.applicationCredentialId, 'application credential'),
      ];
      break;
    default: {
      const f = p.federated!;
      const groups = f.groupIds.map((g) => packId(g));
      const scope =
        v === PayloadVersion.federatedProjectScoped
          ? [need(p.projectId, 'project')]
          : v === PayloadVersion.federatedDomainScoped
            ? [need(p.domainId, 'domain')]
            : [];
      fields = [user, methods, ...scope, groups, f.identityProviderId, f.protocolId, p.expiresAt, audit];
    }
  }
  return encode([v, ...fields]);
}

/** Unpacks a payload; throws MalformedPayload for anything that is not one. */
export function unpackPayload(
  bytes: Uint8Array,
  methodOrder: readonly string[] = DEFAULT_AUTH_METHODS,
): TokenPayload {
  let decoded: unknown;
  try {
    decoded = decode(bytes);
  } catch {
    throw new MalformedPayload('not msgpack');
  }
  if (!Array.isArray(decoded) || typeof decoded[0] !== 'number')
    throw new MalformedPayload('not a versioned payload');
  const [v, ...f] = decoded as [number, ...unknown[]];
  const num = (x: unknown) => {
    if (typeof x !== 'number') throw new MalformedPayload('bad number');
    return x;
  };
  const base = (expires: unknown, audit: unknown) => ({
    userId: unpackId(f[0]),
    methods: intToMethods(num(f[1]), methodOrder),
    expiresAt: num(expires),
    auditIds: unpackAuditIds(audit),
  });
  switch (v) {
    case PayloadVersion.unscoped:
      return base(f[2], f[3]);
    case PayloadVersion.domainScoped:
      return { ...base(f[3], f[4]), domainId: unpackId(f[2]) };
    case PayloadVersion.projectScoped:
      return { ...base(f[3], f[4]), projectId: unpackId(f[2]) };
    case PayloadVersion.trustScoped:
      return { ...base(f[3], f[4]), projectId: unpackId(f[2]), trustId: unpackId(f[5]) };
    case PayloadVersion.oauthScoped:
      return { ...base(f[4], f[5]), projectId: unpackId(f[2]), accessTokenId: unpackId(f[3]) };
    case PayloadVersion.systemScoped:
      if (typeof f[2] !== 'string') throw new MalformedPayload('bad system scope');
      return { ...base(f[3], f[4]), system: f[2] };
    case PayloadVersion.applicationCredentialScoped:
      return { ...base(f[3], f[4]), projectId: unpackId(f[2]), applicationCredentialId: unpackId(f[5]) };
    case PayloadVersion.federatedUnscoped:
    case PayloadVersion.federatedProjectScoped:
    case PayloadVersion.federatedDomainScoped: {
      const scoped = v !== PayloadVersion.federatedUnscoped;
      const o = scoped ? 1 : 0;
      const groups = f[2 + o];
      if (!Array.isArray(groups) || typeof f[3 + o] !== 'string' || typeof f[4 + o] !== 'string')
        throw new MalformedPayload('bad federation fields');
      const out: TokenPayload = {
        ...base(f[5 + o], f[6 + o]),
        federated: {
          groupIds: groups.map(unpackId),
          identityProviderId: f[3 + o] as string,
          protocolId: f[4 + o] as string,
        },
      };
      if (v === PayloadVersion.federatedProjectScoped) out.projectId = unpackId(f[2]);
      if (v === PayloadVersion.federatedDomainScoped) out.domainId = unpackId(f[2]);
      return out;
    }
    default:
      throw new MalformedPayload(`unknown payload version ${v}`);
  }
}
