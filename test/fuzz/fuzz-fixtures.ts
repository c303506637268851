import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { api, issueSystemToken, must } from './cloud-api';
import type { FuzzCloud } from './fuzz-cloud';
import { type FuzzSession, MEMBER } from './fuzz-session';
import type { FuzzTargets } from './fuzz-targets';
import { makeNetworkTargets } from './network-fixtures';
import { makePlacementTargets } from './placement-fixtures';

/** A tar archive of the given members, in memory. */
async function tarOf(members: [string, string][]): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of members) pack.entry({ name }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Makes the scratch resources the fuzzer aims at (a domain, projects, users, roles, catalog
 * entries, federation and OAuth objects, images, a metadef namespace, resource providers,
 * networks and their ports and routers, containers and objects)
 * and the member of another project. Returns their ids by path parameter name. A resource that
 * cannot be made is left out rather than failing the run.
 */
export async function makeFuzzTargets(cloud: FuzzCloud, s: FuzzSession): Promise<FuzzTargets> {
  const ids: Record<string, string[]> = {};
  const add = (name: string, ...values: (string | undefined)[]) => {
    ids[name] = [...(ids[name] ?? []), ...values.filter((v): v is string => !!v)];
  };
  const id = async (path: string, body: unknown, key: string, method = 'POST') => {
    const a = await api(cloud, 'identity', method, path, { token: s.admin, body });
    return a.status < 300 ? (a.json?.[key]?.id as string | undefined) : undefined;
  };
  // Identity.
  const memberRole = (
    await must([200], cloud, 'identity', 'GET', '/v3/roles?name=member', { token: s.admin })
  ).json.roles[0].id as string;
  const other = await id('/v3/projects', { project: { name: MEMBER.project } }, 'project');
  const memberUser = await id(
    '/v3/users',
    { user: { name: MEMBER.user, password: MEMBER.password, default_project_id: other } },
    'user',
  );
  await must(
    [204],
    cloud,
    'identity',
    'PUT',
    `/v3/projects/${other}/users/${memberUser}/roles/${memberRole}`,
    { token: s.admin },
  );
  await s.issueMember();
  add('domain_id', await id('/v3/domains', { domain: { name: 'fuzz-dom', enabled: false } }, 'domain'));
  add('project_id', await id('/v3/projects', { project: { name: 'fuzz-scratch', tags: ['t1'] } }, 'project'));
  add('user_id', await id('/v3/users', { user: { name: 'fuzz-scratch-user', password: 'pw' } }, 'user'));
  add('group_id', await id('/v3/groups', { group: { name: 'fuzz-group' } }, 'group'));
  add(
    'role_id',
    await id('/v3/roles', { role: { name: 'fuzz-role' } }, 'role'),
    await id('/v3/roles', { role: { name: 'fuzz-role2' } }, 'role'),
  );
  add('implied_role_id', ...(ids.role_id ?? []));
  add('region_id', await id('/v3/regions', { region: { id: 'fuzz-region' } }, 'region'));
  const service = await id('/v3/services', { service: { type: 'fuzz', name: 'fuzz' } }, 'service');
  add('service_id', service);
  add(
    'endpoint_id',
    await id(
      '/v3/endpoints',
      { endpoint: { interface: 'public', service_id: service, url: 'http://127.0.0.1:1/' } },
      'endpoint',
    ),
  );
  add(
    'credential_id',
    await id(
      '/v3/credentials',
      {
        credential: {
          type: 'ec2',
          user_id: ids.user_id?.[0],
          project_id: ids.project_id?.[0],
          blob: '{"access":"fuzz-access","secret":"s"}',
        },
      },
      'credential',
    ),
  );
  add('policy_id', await id('/v3/policies', { policy: { type: 'application/json', blob: '{}' } }, 'policy'));
  add(
    'group_id',
    await id(
      '/v3/OS-EP-FILTER/endpoint_groups',
      { endpoint_group: { name: 'fuzz-eg', filters: { interface: 'public' } } },
      'endpoint_group',
    ),
  );
  add(
    'idp_id',
    await id(
      '/v3/OS-FEDERATION/identity_providers/fuzz-idp',
      { identity_provider: { enabled: true } },
      'identity_provider',
      'PUT',
    ),
  );
  const rules = [{ local: [{ user: { name: '{0}' } }], remote: [{ type: 'REMOTE_USER' }] }];
  add(
    'mapping_id',
    await id('/v3/OS-FEDERATION/mappings/fuzz-map', { mapping: { rules } }, 'mapping', 'PUT'),
  );
  add(
    'protocol_id',
    await id(
      '/v3/OS-FEDERATION/identity_providers/fuzz-idp/protocols/saml2',
      { protocol: { mapping_id: 'fuzz-map' } },
      'protocol',
      'PUT',
    ),
    'openid',
  );
  add(
    'sp_id',
    await id(
      '/v3/OS-FEDERATION/service_providers/fuzz-sp',
      { service_provider: { auth_url: 'http://127.0.0.1:1/a', sp_url: 'http://127.0.0.1:1/s' } },
      'service_provider',
      'PUT',
    ),
  );
  add('consumer_id', await id('/v3/OS-OAUTH1/consumers', { consumer: { description: 'fuzz' } }, 'consumer'));
  // Keystone's Zed defaults let only a system-scoped admin manage limits.
  const system = await issueSystemToken(cloud, 'admin', s.adminPassword());
  const rl = await api(cloud, 'identity', 'POST', '/v3/registered_limits', {
    token: system,
    body: { registered_limits: [{ service_id: service, resource_name: 'fuzz', default_limit: 5 }] },
  });
  const lim = await api(cloud, 'identity', 'POST', '/v3/limits', {
    token: system,
    body: {
      limits: [
        { service_id: service, project_id: ids.project_id?.[0], resource_name: 'fuzz', resource_limit: 3 },
      ],
    },
  });
  add('id', rl.json?.registered_limits?.[0]?.id, lim.json?.limits?.[0]?.id);
  add('group', 'identity', 'ldap', 'fuzz');
  add('option', 'driver', 'url', 'user_tree_dn');
  add('tag', 't1', 'fuzz-tag');
  // Image.
  const image = async (name: string, data?: Buffer) => {
    const a = await must([201], cloud, 'image', 'POST', '/v2/images', {
      token: s.admin,
      body: { name, disk_format: 'raw', container_format: 'bare', tags: ['t1'] },
    });
    if (data)
      await must([204], cloud, 'image', 'PUT', `/v2/images/${a.json.id}/file`, {
        token: s.admin,
        body: data,
        headers: { 'content-type': 'application/octet-stream' },
      });
    return a.json.id as string;
  };
  add(
    'image_id',
    await image('fuzz-queued'),
    await image('fuzz-active', Buffer.from('fuzz data')),
    await image('fuzz-active2', Buffer.alloc(2048, 7)),
    await image('fuzz-queued2'),
  );
  add('member_id', s.memberProjectId, s.adminProjectId);
  add('store_id', 'file');
  await api(cloud, 'image', 'POST', '/v2/metadefs/namespaces', {
    token: s.admin,
    body: { namespace: 'fuzz-ns', visibility: 'public' },
  });
  await api(cloud, 'image', 'POST', '/v2/metadefs/namespaces/fuzz-ns/objects', {
    token: s.admin,
    body: { name: 'fuzz-obj' },
  });
  await api(cloud, 'image', 'POST', '/v2/metadefs/namespaces/fuzz-ns/properties', {
    token: s.admin,
    body: { name: 'fuzz-prop', title: 'p', type: 'string' },
  });
  await api(cloud, 'image', 'POST', '/v2/metadefs/namespaces/fuzz-ns/tags/fuzz-tag', { token: s.admin });
  await api(cloud, 'image', 'POST', '/v2/metadefs/namespaces/fuzz-ns/resource_types', {
    token: s.admin,
    body: { name: 'OS::Glance::Image', prefix: 'p_' },
  });
  add('namespace', 'fuzz-ns', 'OS::Compute::Quota');
  add('object', 'fuzz-obj');
  add('property', 'fuzz-prop');
  add('resource_type', 'OS::Glance::Image', 'OS::Nova::Server');
  add(
    'kind',
    'namespace',
    'namespaces',
    'object',
    'objects',
    'property',
    'properties',
    'tag',
    'tags',
    'resource_type',
    'resource_types',
  );
  await makePlacementTargets(cloud, s, add);
  await makeNetworkTargets(cloud, s, add);
  // Object storage.
  const account = `/v1/AUTH_${s.adminProjectId}`;
  const swift = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    must([201, 202, 204], cloud, 'object-store', method, `${account}${path}`, {
      token: s.admin,
      headers,
      body,
    });
  const tempUrlKey = 'fuzz-key';
  await swift('POST', '', { 'x-account-meta-temp-url-key': tempUrlKey });
  for (const c of ['fz0', 'fz1', 'fzver']) await swift('PUT', `/${c}`);
  await swift('PUT', '/fzweb', {
    'x-container-read': '.r:*,.rlistings',
    'x-container-meta-web-listings': 'true',
    'x-container-meta-web-index': 'index.html',
  });
  for (const [name, body] of [
    ['o', 'hello'],
    ['seg0', 'AAAAAAAAAA'],
    ['seg1', 'BBBBBBBBBB'],
    ['seg2', 'CCCCCCCCCC'],
    ['dir/sub/o', 'deep'],
  ]) {
    await swift('PUT', `/fz0/${name}`, {}, body);
  }
  await swift('PUT', `/fz0/${encodeURIComponent('日本.txt')}`, {}, 'nihon');
  await swift(
    'PUT',
    '/fz0/slo?multipart-manifest=put',
    {},
    JSON.stringify(['seg0', 'seg1', 'seg2'].map((n) => ({ path: `fz0/${n}` }))),
  );
  await swift('PUT', '/fz0/dlo', { 'x-object-manifest': 'fz0/seg' }, '');
  await swift('PUT', '/fz0/link', { 'x-symlink-target': 'fz0/o' }, '');
  await swift('PUT', '/fz1/o', {}, 'one');
  await swift('PUT', '/fzweb/index.html', {}, '<html></html>');
  await swift('PUT', '/fzweb/dir/x.html', {}, 'x');
  const plain = await tarOf([
    ['ok.txt', 'ok'],
    ['../escape.txt', 'x'],
    ['日本.txt', 'n'],
    ['a'.repeat(1100), 'long'],
    ['dir/', ''],
  ]);
  return {
    ids,
    accountPath: account,
    otherAccountPath: `/v1/AUTH_${s.memberProjectId}`,
    tempUrlKey,
    archives: [plain, gzipSync(plain), plain.subarray(0, 700), gzipSync(Buffer.from('not a tar'))],
  };
}
