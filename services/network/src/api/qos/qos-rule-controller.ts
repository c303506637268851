import { type ApiRequest, type Route, respond, route } from '@nimbus/http';
import { NeutronError } from '../../manager/network-errors';
import type { QosRuleManager } from '../../manager/qos-rule-manager';
import { type CallContext, policyNotAuthorized } from '../call-context';
import { parseFields } from '../list-query';
import type { NetworkServices } from '../network-services';
import { contextOf } from '../resource-access';
import { fillDefaults, parseCreateBody, parseUpdateBody } from '../resource-body';
import type { ResourceDefinition } from '../resource-definition';
import { resourceView } from '../resource-view';
import { type QosRuleKind, qosRuleAttributes, qosRuleKinds } from './qos-definitions';

type Req = ApiRequest<unknown, NetworkServices>;

const rulesOf = (req: Req): QosRuleManager => req.services.qosRules;

const definitionOf = (kind: QosRuleKind): ResourceDefinition => ({
  resource: kind.resource,
  collection: kind.collection,
  path: `/qos/policies/{policy_id}/${kind.collection}`,
  attributes: qosRuleAttributes(kind),
});

function check(ctx: CallContext, action: string, target: Record<string, unknown>): void {
  if (!ctx.allowed(action, target)) throw policyNotAuthorized([action]);
}

/** The routes of one rule kind: under its policy, and by rule id alone (`qos-rules-alias`). */
function kindRoutes(kind: QosRuleKind): Route[] {
  const def = definitionOf(kind);
  const base = `/v2.0/qos/policies/:policy_id/${kind.collection}`;
  const alias = `/v2.0/qos/alias_${kind.collection}/:rule_id`;
  const caller = (ctx: CallContext) => ({
    projectId: ctx.projectId,
    privileged: ctx.isAdmin || ctx.isAdvsvc,
  });
  const view = (req: Req, ctx: CallContext, rule: Record<string, unknown>, fields: string[] = []) =>
    resourceView(req.services, ctx, def, rule, {}, fields);

  const show = async (req: Req, policyId: string, ruleId: string, action: string) => {
    const ctx = contextOf(req);
    const policy = await rulesOf(req).policy(ctx, policyId);
    check(ctx, action, policy);
    const rule = await rulesOf(req).get(ctx, kind, policyId, ruleId);
    return { [kind.resource]: view(req, ctx, rule, parseFields(req.query)) };
  };
  const update = async (req: Req, policyId: string, ruleId: string, action: string) => {
    const ctx = contextOf(req);
    const changes = parseUpdateBody(req.body, kind.resource, def.attributes, caller(ctx));
    const policy = await rulesOf(req).policy(ctx, policyId);
    check(ctx, action, policy);
    const rule = await rulesOf(req).update(ctx, kind, policyId, ruleId, changes);
    return { [kind.resource]: view(req, ctx, rule) };
  };
  const remove = async (req: Req, policyId: string, ruleId: string, action: string) => {
    const ctx = contextOf(req);
    const policy = await rulesOf(req).policy(ctx, policyId);
    check(ctx, action, policy);
    await rulesOf(req).delete(ctx, kind, policyId, ruleId);
    return undefined;
  };
  const viaAlias =
    (fn: (req: Req, policyId: string, ruleId: string, action: string) => Promise<unknown>, verb: string) =>
    async (req: Req) => {
      const { policyId } = await rulesOf(req).find(contextOf(req), kind, req.params.rule_id!);
      return fn(req, policyId, req.params.rule_id!, `${verb}_alias_${kind.type}_rule`);
    };

  return [
    route('GET', base, async (req: Req) => {
      const ctx = contextOf(req);
      const policyId = req.params.policy_id!;
      const policy = await rulesOf(req).policy(ctx, policyId);
      check(ctx, `get_policy_${kind.type}_rule`, policy);
      const fields = parseFields(req.query);
      const rules = await rulesOf(req).list(ctx, kind, policyId);
      return { [kind.collection]: rules.map((r) => view(req, ctx, r, fields)) };
    }),
    route('POST', base, async (req: Req) => {
      const ctx = contextOf(req);
      const { items, bulk } = parseCreateBody(
        req.body,
        kind.resource,
        kind.collection,
        def.attributes,
        caller(ctx),
      );
      if (bulk) throw new NeutronError('bad_request', 'HTTPBadRequest', 'Bulk operation not supported');
      const policyId = req.params.policy_id!;
      const policy = await rulesOf(req).policy(ctx, policyId);
      check(ctx, `create_policy_${kind.type}_rule`, policy);
      const rule = await rulesOf(req).create(ctx, kind, policyId, fillDefaults(items[0]!, def.attributes));
      return respond(201, { [kind.resource]: view(req, ctx, rule) });
    }),
    route('GET', `${base}/:rule_id`, (req: Req) =>
      show(req, req.params.policy_id!, req.params.rule_id!, `get_policy_${kind.type}_rule`),
    ),
    route('PUT', `${base}/:rule_id`, (req: Req) =>
      update(req, req.params.policy_id!, req.params.rule_id!, `update_policy_${kind.type}_rule`),
    ),
    route(
      'DELETE',
      `${base}/:rule_id`,
      (req: Req) =>
        remove(req, req.params.policy_id!, req.params.rule_id!, `delete_policy_${kind.type}_rule`),
      { status: 204 },
    ),
    route('GET', alias, viaAlias(show, 'get')),
    route('PUT', alias, viaAlias(update, 'update')),
    route('DELETE', alias, viaAlias(remove, 'delete'), { status: 204 }),
  ];
}

/** The drivers this service's QoS rule types are supported by (the fake mechanism driver). */
const DRIVERS = [{ name: 'fake', supported_parameters: [] as unknown[] }];

/** `GET /v2.0/qos/rule-types`: every rule kind; details (drivers) for admins only. */
const ruleTypeRoutes: Route[] = [
  route('GET', '/v2.0/qos/rule-types', async (req: Req) => {
    const ctx = contextOf(req);
    check(ctx, 'get_rule_type', {});
    return { rule_types: qosRuleKinds.map((k) => ({ type: k.type })) };
  }),
  route('GET', '/v2.0/qos/rule-types/:rule_type', async (req: Req) => {
    const ctx = contextOf(req);
    check(ctx, 'get_rule_type', {});
    if (!ctx.isAdmin) throw policyNotAuthorized(['get_rule_type']);
    const kind = qosRuleKinds.find((k) => k.type === req.params.rule_type);
    if (!kind)
      throw new NeutronError(
        'not_found',
        'QosRuleTypeNotFound',
        `QoS rule type ${req.params.rule_type} could not be found.`,
      );
    return { rule_type: { type: kind.type, drivers: DRIVERS } };
  }),
];

/** Every QoS rule route and the rule types. */
export const qosRuleRoutes: Route[] = [...qosRuleKinds.flatMap(kindRoutes), ...ruleTypeRoutes];
