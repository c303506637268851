import type { PersonaCloud } from '../persona-cloud';
import { must, type RequestScope, type RuleRequest, type ServiceRuleRequests } from '../rule-request';
import { metadefRequests } from './image-metadef-requests';

const patch = { 'content-type': 'application/openstack-images-v2.1-json-patch' };
const octets = { 'content-type': 'application/octet-stream' };
/** Glance answers 404 for an image the caller may not see, 403 for one it sees but may not change. */
const hidden = [403, 404] as const;

/** Project A's admin makes an image in project A; `active` uploads data, `shared` adds project B. */
async function image(
  fx: PersonaCloud,
  opts: { active?: boolean; visibility?: string; member?: boolean; deactivated?: boolean } = {},
): Promise<Record<string, string>> {
  const call = fx.as('projectAdmin', 'image');
  const img = await must(call, 'POST', '/v2/images', {
    name: 'persona',
    disk_format: 'raw',
    container_format: 'bare',
    visibility: opts.visibility ?? (opts.member ? 'shared' : 'private'),
  });
  const id = img.id as string;
  if (opts.active || opts.deactivated)
    await must(call, 'PUT', `/v2/images/${id}/file`, 'persona-bytes', octets);
  if (opts.deactivated) await must(call, 'POST', `/v2/images/${id}/actions/deactivate`);
  if (opts.member) await must(call, 'POST', `/v2/images/${id}/members`, { member: fx.projectB });
  return { id };
}

/** Glance's target of an image of project A: its owner as project_id, and its visibility. */
const imageOfA =
  (visibility = 'private', memberId?: string) =>
  ({ fx }: RequestScope) => ({
    project_id: fx.projectA,
    owner: fx.projectA,
    visibility,
    ...(memberId !== undefined ? { member_id: memberId } : {}),
  });

/** A new image is the caller's: its project is the caller's project. */
const callersNew =
  (visibility: string) =>
  ({ caller }: RequestScope) => ({
    project_id: caller.projectId ?? null,
    owner: caller.projectId ?? null,
    visibility,
  });

const newImage = (visibility: string) => ({
  name: 'persona-new',
  disk_format: 'raw',
  container_format: 'bare',
  visibility,
});

/** Glance's rules as HTTP requests. */
export const imageRequests: ServiceRuleRequests = {
  service: 'image',
  requests: [
    {
      rule: 'add_image',
      method: 'POST',
      path: '/v2/images',
      body: newImage('private'),
      target: callersNew('private'),
    },
    {
      rule: 'publicize_image',
      method: 'POST',
      path: '/v2/images',
      body: newImage('public'),
      target: callersNew('public'),
    },
    {
      rule: 'communitize_image',
      method: 'POST',
      path: '/v2/images',
      body: newImage('community'),
      target: callersNew('community'),
    },
    {
      rule: 'get_images',
      method: 'GET',
      path: '/v2/images',
      target: ({ caller }) => ({ project_id: caller.projectId ?? null }),
    },
    {
      rule: 'get_image',
      method: 'GET',
      path: ({ made }) => `/v2/images/${made.id}`,
      setup: (fx) => image(fx),
      target: imageOfA(),
      denied: hidden,
    },
    {
      rule: 'modify_image',
      method: 'PATCH',
      path: ({ made }) => `/v2/images/${made.id}`,
      body: JSON.stringify([{ op: 'replace', path: '/name', value: 'renamed' }]),
      headers: patch,
      setup: (fx) => image(fx),
      target: imageOfA(),
      denied: hidden,
    },
    {
      rule: 'delete_image',
      method: 'DELETE',
      path: ({ made }) => `/v2/images/${made.id}`,
      setup: (fx) => image(fx),
      target: imageOfA(),
      denied: hidden,
    },
    {
      rule: 'upload_image',
      method: 'PUT',
      path: ({ made }) => `/v2/images/${made.id}/file`,
      body: 'persona-bytes',
      headers: octets,
      setup: (fx) => image(fx),
      target: imageOfA(),
      denied: hidden,
    },
    {
      rule: 'download_image',
      method: 'GET',
      path: ({ made }) => `/v2/images/${made.id}/file`,
      setup: (fx) => image(fx, { active: true }),
      target: imageOfA(),
      denied: hidden,
    },
    {
      rule: 'deactivate',
      method: 'POST',
      path: ({ made }) => `/v2/images/${made.id}/actions/deactivate`,
      setup: (fx) => image(fx, { active: true }),
      target: imageOfA(),
      denied: hidden,
    },
    {
      rule: 'reactivate',
      method: 'POST',
      path: ({ made }) => `/v2/images/${made.id}/actions/reactivate`,
      setup: (fx) => image(fx, { deactivated: true }),
      target: imageOfA(),
      denied: hidden,
    },
    {
      rule: 'add_member',
      method: 'POST',
      path: ({ made }) => `/v2/images/${made.id}/members`,
      body: ({ fx }) => ({ member: fx.projectB }),
      setup: (fx) => image(fx, { visibility: 'shared' }),
      target: imageOfA('shared'),
      denied: hidden,
    },
    {
      rule: 'get_members',
      method: 'GET',
      path: ({ made }) => `/v2/images/${made.id}/members`,
      setup: (fx) => image(fx, { member: true }),
      target: (s) => imageOfA('shared', s.caller.projectId ?? '')(s),
      denied: hidden,
    },
    {
      rule: 'get_member',
      method: 'GET',
      path: ({ made, fx }) => `/v2/images/${made.id}/members/${fx.projectB}`,
      setup: (fx) => image(fx, { member: true }),
      target: (s) => imageOfA('shared', s.fx.projectB)(s),
      denied: hidden,
    },
    {
      rule: 'modify_member',
      method: 'PUT',
      path: ({ made, fx }) => `/v2/images/${made.id}/members/${fx.projectB}`,
      body: { status: 'accepted' },
      setup: (fx) => image(fx, { member: true }),
      target: (s) => imageOfA('shared', s.fx.projectB)(s),
      denied: hidden,
    },
    {
      rule: 'delete_member',
      method: 'DELETE',
      path: ({ made, fx }) => `/v2/images/${made.id}/members/${fx.projectB}`,
      setup: (fx) => image(fx, { member: true }),
      target: (s) => imageOfA('shared', s.fx.projectB)(s),
      denied: hidden,
    },
    { rule: 'stores_info_detail', method: 'GET', path: '/v2/info/stores/detail' },
    ...metadefRequests,
  ],
  unreachable: {
    default: 'The fallback of rules an operator names but does not define; no API call checks it by name.',
    context_is_admin: "Decides the request context's is_admin; no API call checks it by name.",
    manage_image_cache: 'The deprecated rule of the cache_* rules; no API call checks it by name.',
    metadef_default: 'The deprecated rule of the metadef reads; no API call checks it by name.',
  },
};
