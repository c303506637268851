import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Credentials } from '@nimbus/auth';
import { blockStorageService } from '@nimbus/block-storage';
import { computeService } from '@nimbus/compute';
import { identityService } from '@nimbus/identity';
import { imageService } from '@nimbus/image';
import { networkService } from '@nimbus/network';
import { placementService } from '@nimbus/placement';
import { readAccessCredentials } from '@nimbus/policy';
import type { ServiceDefinition } from '@nimbus/service';
import { type Caller, jsonCaller, startTestCloud, type TestCloud } from '@nimbus/testing';
import { parse } from 'yaml';

/** The personas of issue 17, each a user with one role assignment (or none) and a token of its scope. */
export const personaNames = [
  'systemAdmin',
  'systemReader',
  'domainManager',
  'projectAdmin',
  'projectMember',
  'projectReader',
  'otherProjectMember',
  'noRole',
] as const;

/** A persona's name. */
export type PersonaName = (typeof personaNames)[number];

/** One persona: its token and the credentials the services see for it. */
export interface Persona {
  name: PersonaName;
  userId: string;
  token: string;
  credentials: Credentials;
}

/** The cloud under test, its personas and the ids of what they are assigned on. */
export interface PersonaCloud {
  cloud: TestCloud;
  personas: Record<PersonaName, Persona>;
  /** The domain the domain manager manages; projects A and B live in it. */
  domainId: string;
  /** The project of the project personas. */
  projectA: string;
  /** The other project's member's project. */
  projectB: string;
  /** Role ids by name (reader, member, admin, manager). */
  roles: Record<string, string>;
  /** A caller of a service as a persona; `service` is the catalog type. */
  as(persona: PersonaName, service: string): Caller;
}

/** The services of the persona matrix, by catalog type, each with its policy. */
export const personaServices: Record<string, ServiceDefinition> = {
  identity: identityService,
  image: imageService,
  placement: placementService,
  network: networkService,
  'block-storage': blockStorageService,
  compute: computeService,
};

/**
 * Starts one cloud with `[oslo_policy] enforce_scope` and `enforce_new_defaults` on, and makes the
 * personas through the identity API: system admin and reader (system role assignments), the
 * manager of a domain, admin, member and reader of project A (in that domain), a member of project
 * B, and a user with no role at all, whose token is unscoped. `types` are the catalog types to run
 * besides identity.
 */
export async function startPersonaCloud(types: readonly string[]): Promise<PersonaCloud> {
  const services = [...new Set(['identity', ...types])].map((t) => personaServices[t]!);
  const cloud = await startTestCloud(services, {
    identity: { password_hash_rounds: 4 },
    oslo_policy: { enforce_scope: true, enforce_new_defaults: true },
    ...(services.includes(blockStorageService) ? { block_storage: { enabled_backends: ['fake'] } } : {}),
    // Every persona makes its own resources: no quota may refuse one before policy is asked.
    ...(services.includes(networkService)
      ? {
          network: Object.fromEntries(
            [
              'network',
              'subnet',
              'port',
              'router',
              'floatingip',
              'security_group',
              'security_group_rule',
            ].map((r) => [`quota_${r}`, -1]),
          ),
        }
      : {}),
  });
  const id = cloud.url('identity');
  const bootstrapPassword = parse(readFileSync(join(cloud.dataDir, 'clouds.yaml'), 'utf8')).clouds.nimbus.auth
    .password as string;
  const root = jsonCaller(
    id,
    await issueToken(id, { name: 'admin', domain: { id: 'default' } }, bootstrapPassword, {
      system: { all: true },
    }),
  );
  const must = async (method: string, path: string, body?: unknown) => {
    const r = await root(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const roles: Record<string, string> = {};
  for (const r of (await must('GET', '/v3/roles')).roles as { id: string; name: string }[])
    roles[r.name] = r.id;
  if (!roles.manager)
    roles.manager = (await must('POST', '/v3/roles', { role: { name: 'manager' } })).role.id;
  const domainId = (await must('POST', '/v3/domains', { domain: { name: 'persona-domain' } })).domain.id;
  const project = async (name: string) =>
    (await must('POST', '/v3/projects', { project: { name, domain_id: domainId } })).project.id as string;
  const projectA = await project('persona-a');
  const projectB = await project('persona-b');

  const password = 'persona-secret';
  type Scope = Record<string, unknown> | undefined;
  const plan: Record<PersonaName, { grant?: string; scope: Scope }> = {
    systemAdmin: { grant: `/v3/system/users/{u}/roles/${roles.admin}`, scope: { system: { all: true } } },
    systemReader: { grant: `/v3/system/users/{u}/roles/${roles.reader}`, scope: { system: { all: true } } },
    domainManager: {
      grant: `/v3/domains/${domainId}/users/{u}/roles/${roles.manager}`,
      scope: { domain: { id: domainId } },
    },
    projectAdmin: {
      grant: `/v3/projects/${projectA}/users/{u}/roles/${roles.admin}`,
      scope: { project: { id: projectA } },
    },
    projectMember: {
      grant: `/v3/projects/${projectA}/users/{u}/roles/${roles.member}`,
      scope: { project: { id: projectA } },
    },
    projectReader: {
      grant: `/v3/projects/${projectA}/users/{u}/roles/${roles.reader}`,
      scope: { project: { id: projectA } },
    },
    otherProjectMember: {
      grant: `/v3/projects/${projectB}/users/{u}/roles/${roles.member}`,
      scope: { project: { id: projectB } },
    },
    noRole: { scope: undefined },
  };
  const personas = {} as Record<PersonaName, Persona>;
  for (const name of personaNames) {
    const { grant, scope } = plan[name];
    const user = await must('POST', '/v3/users', {
      user: { name: `persona-${name}`, domain_id: domainId, password },
    });
    const userId = user.user.id as string;
    if (grant) await must('PUT', grant.replace('{u}', userId));
    const token = await issueToken(id, { id: userId }, password, scope);
    const shown = await root('GET', '/v3/auth/tokens', undefined, { 'x-subject-token': token });
    if (shown.status !== 200) throw new Error(`token of ${name}: HTTP ${shown.status}`);
    const access = readAccessCredentials(shown.body);
    if (!('credentials' in access)) throw new Error('a token body reads as credentials');
    personas[name] = { name, userId, token, credentials: { ...access.credentials, token } };
  }
  const base = (service: string) => {
    const url = cloud.url(service);
    return service === 'compute' ? `${url}/v2.1` : url;
  };
  return {
    cloud,
    personas,
    domainId,
    projectA,
    projectB,
    roles,
    as: (persona, service) => jsonCaller(base(service), personas[persona].token),
  };
}

async function issueToken(
  identityUrl: string,
  user: Record<string, unknown>,
  password: string,
  scope: Record<string, unknown> | undefined,
): Promise<string> {
  const r = await fetch(`${identityUrl}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { ...user, password } } },
        ...(scope ? { scope } : {}),
      },
    }),
  });
  if (r.status !== 201) throw new Error(`token: HTTP ${r.status} ${await r.text()}`);
  return r.headers.get('x-subject-token')!;
}
