import { type FaultRenderer, keystoneFaults, neutronFaults } from '@nimbus/http';

/**
 * Neutron's error bodies: `{"NeutronError": {"type", "message", "detail"}}` from the API, except
 * the 401 that keystonemiddleware answers before Neutron sees the request, in Keystone's style.
 * Faults without an upstream type (framework errors) are typed as webob's `HTTP<Title>`.
 */
export const neutronFaultRenderer: FaultRenderer = (fault) =>
  fault.status === 401 ? keystoneFaults(fault) : neutronFaults(fault);
