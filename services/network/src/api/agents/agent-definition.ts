import { filterAs, isString, isUuid, toBoolean } from '../attribute-spec';
import type { ResourceDefinition } from '../resource-definition';

const shown = { post: false, put: false, filter: true, sort: true };

/** Agents (the `agent` extension, with `availability_zone` and `agent_sort_key`): read, enable, describe, delete. */
export const agentDefinition: ResourceDefinition = {
  resource: 'agent',
  collection: 'agents',
  path: '/agents',
  bulk: false,
  attributes: {
    id: { ...shown, validate: isUuid },
    agent_type: shown,
    binary: shown,
    topic: shown,
    host: shown,
    availability_zone: shown,
    admin_state_up: {
      post: false,
      put: true,
      convert: toBoolean,
      filter: true,
      sort: true,
      convertFilter: filterAs.boolean,
    },
    created_at: { post: false, put: false, sort: true },
    started_at: { post: false, put: false, sort: true },
    heartbeat_timestamp: { post: false, put: false, sort: true },
    alive: { post: false, put: false, filter: true, convertFilter: filterAs.boolean },
    configurations: { post: false, put: false },
    resource_versions: { post: false, put: false },
    description: { post: false, put: true, validate: isString(255), filter: true, sort: true },
  },
};
