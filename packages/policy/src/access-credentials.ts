import type { Credentials } from '@nimbus/auth';

interface TokenBody {
  user?: { id?: string; name?: string; domain?: { id?: string; name?: string } };
  project?: { id?: string; name?: string; domain?: { id?: string; name?: string } };
  domain?: { id?: string; name?: string };
  system?: { all?: boolean };
  roles?: { id?: string; name?: string }[];
  methods?: string[];
  audit_ids?: string[];
  is_admin_project?: boolean;
  issued_at?: string;
  expires_at?: string;
}

/**
 * Reads the caller `nimbus policy check --credentials` is given, as oslopolicy-checker's access
 * file: either Keystone's token body (`{"token": {...}}`, what `GET /v3/auth/tokens` answers),
 * turned into Credentials for the service's own mapping, or an oslo `creds` dictionary (`roles`,
 * `project_id`, `system_scope`...) used as it is. Throws Error when it is neither.
 */
export function readAccessCredentials(
  doc: unknown,
): { credentials: Credentials } | { creds: Record<string, unknown>; scope: 'system' | 'domain' | 'project' } {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('credentials must be an object');
  const d = doc as Record<string, unknown>;
  if (d.token && typeof d.token === 'object') return { credentials: fromTokenBody(d.token as TokenBody) };
  if (!Array.isArray(d.roles)) throw new Error('credentials need either a "token" body or a "roles" list');
  const scope = d.system_scope ? 'system' : d.domain_id ? 'domain' : 'project';
  return { creds: d, scope };
}

function fromTokenBody(t: TokenBody): Credentials {
  const roles = t.roles ?? [];
  const creds: Credentials = {
    token: '',
    userId: t.user?.id ?? '',
    userName: t.user?.name ?? '',
    userDomainId: t.user?.domain?.id ?? '',
    userDomainName: t.user?.domain?.name ?? '',
    roles: roles.map((r) => r.name ?? ''),
    roleIds: roles.map((r) => r.id ?? ''),
    isAdminProject: t.is_admin_project ?? false,
    methods: t.methods ?? [],
    auditIds: t.audit_ids ?? [],
    issuedAt: new Date(t.issued_at ?? Date.now()),
    expiresAt: new Date(t.expires_at ?? Date.now()),
  };
  if (t.project?.id) {
    creds.projectId = t.project.id;
    creds.projectName = t.project.name ?? '';
    creds.projectDomainId = t.project.domain?.id ?? '';
    creds.projectDomainName = t.project.domain?.name ?? '';
  }
  if (t.domain?.id) {
    creds.domainId = t.domain.id;
    creds.domainName = t.domain.name ?? '';
  }
  if (t.system?.all) creds.systemScope = 'all';
  return creds;
}
