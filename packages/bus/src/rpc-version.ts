import { InternalError } from '@nimbus/errors';

/** An RPC interface version, `major.minor` (oslo's `Target.version`), parsed. */
export interface RpcVersion {
  readonly major: number;
  readonly minor: number;
}

/** Parses `'1.3'` (a bare `'2'` means `2.0`); throws InternalError `BUS_INVALID_VERSION` otherwise. */
export function parseRpcVersion(text: string): RpcVersion {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) {
    throw new InternalError(`Invalid RPC version ${JSON.stringify(text)}: expected major.minor`, {
      code: 'BUS_INVALID_VERSION',
    });
  }
  return { major: Number(m[1]), minor: Number(m[2] ?? 0) };
}

/**
 * True when a peer implementing `implemented` can handle a message of version `requested`, as
 * oslo's `version_is_compatible`: same major version, and a minor version not above it.
 */
export function versionIsCompatible(implemented: string, requested: string): boolean {
  const have = parseRpcVersion(implemented);
  const want = parseRpcVersion(requested);
  return have.major === want.major && want.minor <= have.minor;
}
