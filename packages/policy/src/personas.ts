/**
 * The personas of the secure-RBAC defaults as check strings, for services declaring their
 * defaults. Roles imply one another in Keystone (`admin` → `member` → `reader`; `manager` →
 * `member`), so each persona names only its own role. Services use the personas their Zed
 * release ships: Zed has reader, member and admin everywhere and `service` in some services;
 * `manager` (project and domain managers) arrived after Zed and is declared for the newer ones.
 */
export const personas = {
  /** Anyone with admin on any scope (the legacy "admin anywhere is admin everywhere"). */
  admin: 'role:admin',
  systemAdmin: 'role:admin and system_scope:all',
  systemMember: 'role:member and system_scope:all',
  systemReader: 'role:reader and system_scope:all',
  domainManager: 'role:manager and domain_id:%(domain_id)s',
  domainMember: 'role:member and domain_id:%(domain_id)s',
  domainReader: 'role:reader and domain_id:%(domain_id)s',
  projectAdmin: 'role:admin and project_id:%(project_id)s',
  projectManager: 'role:manager and project_id:%(project_id)s',
  projectMember: 'role:member and project_id:%(project_id)s',
  projectReader: 'role:reader and project_id:%(project_id)s',
  /** Another service acting as itself (its service token or service user). */
  service: 'role:service',
} as const;

/** A persona name. */
export type Persona = keyof typeof personas;
