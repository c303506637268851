/**
 * What the generators may aim at: the ids of scratch resources made for fuzzing, by path
 * parameter name. The baseline's ids are never here, so no generated request can name them.
 */
export interface FuzzTargets {
  /** Path parameter name → values that exist (or are meaningful) in the fuzz cloud. */
  ids: Record<string, string[]>;
  /** `/v1/AUTH_<project>` of the admin project, where object storage fuzzing happens. */
  accountPath: string;
  /** `/v1/AUTH_<project>` of the member's project. */
  otherAccountPath: string;
  /** TempURL key set on the fuzz account. */
  tempUrlKey: string;
  /** Small archives (tar, tar.gz) with hostile member names, for extract-archive. */
  archives: Buffer[];
}

/** Token placeholders in generated headers, replaced at send time by the session's tokens. */
export const TOKENS = {
  admin: '{token:admin}',
  member: '{token:member}',
  revoked: '{token:revoked}',
  disposable: '{token:disposable}',
} as const;
