import type { PolicyCheck } from '@nimbus/http';
import type { Kysely } from 'kysely';
import type { AgentScheduler } from '../manager/agent-scheduler';
import type { PortBindingManager } from '../manager/port-binding-manager';
import type { QosRuleManager } from '../manager/qos-rule-manager';
import type { QuotaManager } from '../manager/quota-manager';
import type { ResourceHandlers } from './resource-definition';

/** What the network API's controllers reach through `req.services`. */
export interface NetworkServices {
  policy: PolicyCheck;
  /** Names of every registered rule, to find attribute policies (`get_port:binding:vif_type`). */
  policyNames: ReadonlySet<string>;
  /** The handlers of each resource, by singular name. */
  resources: Record<string, ResourceHandlers>;
  quotas: QuotaManager;
  /** The rules of QoS policies (a sub-resource API of their own). */
  qosRules: QosRuleManager;
  /** The port bindings API. */
  bindings: PortBindingManager;
  /** Read-only queries across tables (IP availability). */
  db: Kysely<any>;
  /** Networks to DHCP agents, routers to L3 agents. */
  schedulers: { dhcp: AgentScheduler; l3: AgentScheduler };
  /** Extension aliases `GET /v2.0/extensions` lists. */
  extensions: readonly ExtensionDescriptor[];
  options: { filterValidation: boolean; maxLimit: number };
}

/** One extension as `GET /v2.0/extensions` shows it. */
export interface ExtensionDescriptor {
  alias: string;
  name: string;
  description: string;
  updated: string;
}
