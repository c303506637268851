import { BadRequestError } from '@nimbus/errors';
import {
  compileBodySchema,
  keystoneValidationMessage,
  lazily,
  type Route,
  route,
  validateOrThrow,
} from '@nimbus/http';
import type { ResourceManager } from '../../manager/resource/resource-manager';
import { collection, type IdentityRequest, queryTruthy, queryValue, splitExtra } from '../keystone-api';
import { createDomainBody, updateDomainBody } from './resource-schemas';
import { domainView } from './resource-view';

// Validated in the handler: Keystone answers 404 (unknown domain) and 403 before a bad body's 400.
const validUpdateDomain = lazily(() => compileBodySchema(updateDomainBody));

/** What the domain and project controllers read of `req.services`. */
export interface ResourceServices {
  resources: ResourceManager;
}

type Req<B = any> = IdentityRequest<B, ResourceServices>;
const DOMAIN_FIELDS = ['id', 'name', 'description', 'enabled', 'tags', 'explicit_domain_id', 'links'];

async function listDomains(req: Req) {
  req.authorize('identity:list_domains', {});
  const name = queryValue(req, 'name');
  const enabled = queryValue(req, 'enabled');
  const domains = await req.services.resources.listDomains({
    ...(name !== undefined ? { name } : {}),
    ...(enabled !== undefined ? { enabled: queryTruthy(enabled) } : {}),
  });
  return collection(
    req,
    'domains',
    domains.map((d) => domainView(req, d)),
  );
}

async function getDomain(req: Req) {
  // Checked before the lookup, as Keystone: a caller the rule refuses never learns whether it exists.
  req.authorize('identity:get_domain', { target: { domain: { id: req.params.domain_id } } });
  const d = await req.services.resources.getDomain(req.params.domain_id!);
  return { domain: domainView(req, d) };
}

async function createDomain(req: Req<{ domain: Record<string, any> }>) {
  req.authorize('identity:create_domain', {});
  const b = req.body.domain;
  const d = await req.services.resources.createDomain({
    ...(b.explicit_domain_id ? { id: b.explicit_domain_id } : {}),
    name: b.name,
    description: b.description ?? '',
    enabled: b.enabled ?? true,
    tags: b.tags ?? [],
    extra: splitExtra(b, DOMAIN_FIELDS),
  });
  return { domain: domainView(req, d) };
}

async function updateDomain(req: Req<{ domain: Record<string, any> }>) {
  await req.services.resources.getDomain(req.params.domain_id!);
  req.authorize('identity:update_domain', { target: { domain: { id: req.params.domain_id } } });
  validateOrThrow(validUpdateDomain(), req.body, keystoneValidationMessage);
  const b = req.body.domain;
  if (b.id !== undefined && b.id !== req.params.domain_id) {
    throw new BadRequestError('Cannot change the domain ID', { code: 'IDENTITY_VALIDATION' });
  }
  const extra = splitExtra(b, DOMAIN_FIELDS);
  const d = await req.services.resources.updateDomain(req.params.domain_id!, {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.description !== undefined ? { description: b.description ?? '' } : {}),
    ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
    ...(b.tags !== undefined ? { tags: b.tags } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  });
  return { domain: domainView(req, d) };
}

async function deleteDomain(req: Req) {
  req.authorize('identity:delete_domain', { target: { domain: { id: req.params.domain_id } } });
  await req.services.resources.deleteDomain(req.params.domain_id!);
}

/** `/v3/domains`. */
export const domainRoutes: Route[] = [
  route('GET', '/v3/domains', listDomains),
  route('POST', '/v3/domains', createDomain, { body: createDomainBody, status: 201 }),
  route('GET', '/v3/domains/:domain_id', getDomain),
  route('PATCH', '/v3/domains/:domain_id', updateDomain),
  route('DELETE', '/v3/domains/:domain_id', deleteDomain),
];
