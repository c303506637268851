import { respond, route, type Route } from '@nimbus/http';
import type { DomainConfig, DomainConfigManager } from '../../manager/resource/domain-config-manager';
import type { IdentityRequest } from '../keystone-api';
import type { ResourceServices } from './domain-controller';

/** What the domain-config controller reads of `req.services`. */
export interface DomainConfigServices extends ResourceServices {
  domainConfigs: DomainConfigManager;
}

type Req = IdentityRequest<{ config?: DomainConfig } | undefined, DomainConfigServices>;

const configBody = { type: 'object', required: ['config'], properties: { config: { type: 'object' } } };

async function createConfig(req: Req) {
  req.authorize('identity:create_domain_config', {});
  await req.services.resources.getDomain(req.params.domain_id!);
  const { config, created } = await req.services.domainConfigs.create(
    req.params.domain_id!,
    req.body?.config ?? {},
  );
  return respond(created ? 201 : 200, { config });
}

async function getConfig(req: Req) {
  const { domain_id: domainId, group, option } = req.params;
  if (group === 'security_compliance') {
    req.authorize('identity:get_security_compliance_domain_config', {});
    await req.services.resources.getDomain(domainId!);
    return { config: req.services.domainConfigs.securityCompliance(domainId!, option) };
  }
  req.authorize('identity:get_domain_config', {});
  await req.services.resources.getDomain(domainId!);
  return { config: await req.services.domainConfigs.get(domainId!, group, option) };
}

async function updateConfig(req: Req) {
  req.authorize('identity:update_domain_config', {});
  await req.services.resources.getDomain(req.params.domain_id!);
  return {
    config: await req.services.domainConfigs.update(
      req.params.domain_id!,
      req.body?.config ?? {},
      req.params.group,
      req.params.option,
    ),
  };
}

async function deleteConfig(req: Req) {
  req.authorize('identity:delete_domain_config', {});
  await req.services.resources.getDomain(req.params.domain_id!);
  await req.services.domainConfigs.delete(req.params.domain_id!, req.params.group, req.params.option);
}

async function defaults(req: Req) {
  req.authorize('identity:get_domain_config_default', {});
  return { config: req.services.domainConfigs.defaults(req.params.group, req.params.option) };
}

const base = '/v3/domains/:domain_id/config';

/** `/v3/domains/{id}/config[/{group}[/{option}]]` and the defaults. */
export const domainConfigRoutes: Route[] = [
  route('PUT', base, createConfig, { body: configBody }),
  ...[base, `${base}/:group`, `${base}/:group/:option`].flatMap((path) => [
    route('GET', path, getConfig),
    route('PATCH', path, updateConfig, { body: configBody }),
    route('DELETE', path, deleteConfig),
  ]),
  route('GET', '/v3/domains/config/default', defaults),
  route('GET', '/v3/domains/config/:group/default', defaults),
  route('GET', '/v3/domains/config/:group/:option/default', defaults),
];
