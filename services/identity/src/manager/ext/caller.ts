/**
 * Who is calling an extension manager, as the token says: the manager's own checks (escalation,
 * delegation limits, ownership) read this, not HTTP types.
 */
export interface Caller {
  userId: string;
  projectId?: string;
  domainId?: string;
  system?: boolean;
  /** Role ids the token carries (implied roles included). */
  roleIds: string[];
  methods: string[];
  trustId?: string;
  /** Set when the token came from an application credential. */
  applicationCredential?: { id: string; unrestricted: boolean };
  /** Set when the token came from an OAuth1 access token. */
  accessTokenId?: string;
  /** Keystone's is_admin (the admin token / is_admin_project context): skips some checks. */
  isAdmin?: boolean;
}

/** True when the token was obtained by delegation (trust, OAuth1 or federation), as Keystone's is_delegated_auth. */
export function isDelegated(caller: Caller): boolean {
  return caller.trustId !== undefined || caller.accessTokenId !== undefined;
}
