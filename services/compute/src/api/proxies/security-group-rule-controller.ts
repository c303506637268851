import { isIP } from 'node:net';
import { BadRequestError, ForbiddenError, NotFoundError } from '@nimbus/errors';
import { respond } from '@nimbus/http';
import type { ComputeRequest } from '../compute-request';
import { fromBody, networkFor, ownProject, translating } from './proxy-request';
import { getGroup, validGroupId } from './security-group-controller';
import { groupRef, ingressRules, novaRule, ruleView } from './security-group-view';

const P = 'os_compute_api:os-security-groups';
const invalid = (message: string) => new BadRequestError(message, { code: 'COMPUTE_INVALID_INPUT' });

/** The rule a request asks for, in Nova's shape (before it goes to the network service). */
export interface NewRule {
  groupId?: string;
  cidr?: string;
  protocol?: string;
  fromPort?: number;
  toPort?: number;
}

/** Whether `cidr` is an address with a prefix length (oslo's is_valid_cidr). */
function validCidr(cidr: string): boolean {
  const [address, prefix, ...rest] = cidr.split('/');
  if (rest.length || prefix === undefined || !/^\d+$/.test(prefix) || !address) return false;
  const version = isIP(address);
  return version !== 0 && Number(prefix) <= (version === 6 ? 128 : 32);
}

/** Nova's parse_cidr: none means everything, anything else must be a network. */
export function parseCidr(cidr: unknown): string {
  if (cidr === undefined || cidr === null || cidr === '' || cidr === false) return '0.0.0.0/0';
  let text = String(cidr);
  try {
    text = decodeURIComponent(text);
  } catch {
    throw invalid(`${String(cidr)} is not a valid IP network.`);
  }
  if (!validCidr(text)) throw invalid(`${text} is not a valid IP network.`);
  return text;
}

/** Python's int() of a port as Nova applies it; undefined when it does not read as an integer. */
function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value.trim());
  return undefined;
}

/**
 * Builds and checks an ingress rule as Nova's security group API does: a remote-group rule opens
 * every port of its protocol when none is given; a CIDR rule needs a protocol and both ports.
 * Returns undefined when the request says too little to make a rule.
 */
export function newIngressRule(
  ipProtocol: unknown,
  fromPortIn: unknown,
  toPortIn: unknown,
  target: { groupId?: string; cidr?: string },
): NewRule | undefined {
  const rule: NewRule = {};
  let fromPort = fromPortIn ?? undefined;
  let toPort = toPortIn ?? undefined;
  const upper = typeof ipProtocol === 'string' ? ipProtocol.toUpperCase() : '';
  if (target.groupId) {
    rule.groupId = target.groupId;
    if (fromPort === undefined && toPort === undefined) {
      if (upper === 'ICMP') [fromPort, toPort] = [-1, -1];
      else if (upper === 'TCP' || upper === 'UDP') [fromPort, toPort] = [1, 65535];
    }
  } else if (target.cidr) rule.cidr = target.cidr;

  if (ipProtocol && fromPort !== undefined && toPort !== undefined) {
    const protocol = String(ipProtocol);
    const from = toInt(fromPort);
    const to = toInt(toPort);
    const proto = protocol.toUpperCase();
    if (from === undefined || to === undefined)
      throw invalid(
        proto === 'ICMP'
          ? 'Invalid input received: Type and Code must be integers for ICMP protocol type'
          : 'Invalid input received: To and From ports must be integers',
      );
    if (!['TCP', 'UDP', 'ICMP'].includes(proto)) throw invalid(`Invalid IP protocol ${protocol}.`);
    const range = (why: string) => invalid(`Invalid port range ${from}:${to}. ${why}`);
    if (proto !== 'ICMP' && from > to) throw range('Former value cannot be greater than the later');
    if (proto !== 'ICMP' && (from < 1 || to > 65535))
      throw range(`Valid ${proto} ports should be between 1-65535`);
    if (proto === 'ICMP' && (from < -1 || from > 255 || to < -1 || to > 255))
      throw range('For ICMP, the type:code must be valid');
    rule.protocol = protocol;
    rule.fromPort = from;
    rule.toPort = to;
  } else if (target.cidr) {
    return undefined;
  }
  return rule;
}

/** `POST /os-security-group-rules`. */
export async function createSecurityGroupRule(req: ComputeRequest) {
  req.authorize(`${P}:rule:create`, ownProject(req));
  const body = fromBody(req.body, 'security_group_rule');
  const network = networkFor(req);
  const parent = await getGroup(network, validGroupId(body.parent_group_id));
  const groupId = body.group_id ?? undefined;
  const source = groupId !== undefined ? await getGroup(network, validGroupId(groupId)) : undefined;
  const rule = newIngressRule(
    body.ip_protocol,
    body.from_port,
    body.to_port,
    source ? { groupId: source.id } : { cidr: parseCidr(body.cidr) },
  );
  if (!rule) throw invalid('Not enough parameters to build a valid rule.');
  if (rule.cidr) {
    const [net, prefix] = rule.cidr.split('/');
    if (net !== '0.0.0.0' && net !== '::' && prefix === '0')
      throw invalid(`Bad prefix for network in cidr ${rule.cidr}`);
  }
  const duplicate = ingressRules(parent).some(
    (r) =>
      (r.groupId ?? undefined) === rule.groupId &&
      r.cidr === rule.cidr &&
      (r.fromPort ?? undefined) === rule.fromPort &&
      (r.toPort ?? undefined) === rule.toPort &&
      (r.protocol ?? undefined) === rule.protocol,
  );
  if (duplicate) throw invalid(`This rule already exists in group ${parent.id}`);
  const created = await translating(
    () =>
      network.createSecurityGroupRule({
        security_group_id: parent.id,
        direction: 'ingress',
        ethertype: rule.cidr && isIP(rule.cidr.split('/')[0]!) === 6 ? 'IPv6' : 'IPv4',
        protocol: rule.protocol ?? null,
        remote_ip_prefix: rule.cidr ?? null,
        remote_group_id: rule.groupId ?? null,
        ...(rule.fromPort !== undefined && rule.fromPort !== -1 ? { port_range_min: rule.fromPort } : {}),
        ...(rule.toPort !== undefined && rule.toPort !== -1 ? { port_range_max: rule.toPort } : {}),
      }),
    {
      400: (m) => invalid(m),
      404: (m) => new NotFoundError(m, { code: 'COMPUTE_SECURITY_GROUP_NOT_FOUND' }),
      409: (m) => new ForbiddenError(m, { code: 'COMPUTE_SECURITY_GROUP_LIMIT' }),
    },
  );
  return { security_group_rule: ruleView(novaRule(created), source ? groupRef(source) : undefined) };
}

/** `DELETE /os-security-group-rules/{id}`. */
export async function deleteSecurityGroupRule(req: ComputeRequest) {
  req.authorize(`${P}:rule:delete`, ownProject(req));
  const network = networkFor(req);
  const id = validGroupId(req.params.rule_id);
  const rule = await translating(() => network.getSecurityGroupRule(id), {
    404: (m) => new NotFoundError(m, { code: 'COMPUTE_SECURITY_GROUP_NOT_FOUND' }),
  });
  await getGroup(network, rule.security_group_id);
  await translating(() => network.deleteSecurityGroupRule(rule.id), {
    404: (m) => new NotFoundError(m, { code: 'COMPUTE_SECURITY_GROUP_NOT_FOUND' }),
  });
  return respond(202);
}
