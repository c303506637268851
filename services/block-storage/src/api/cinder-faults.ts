import { type FaultRenderer, keystoneFaults, novaFaults } from '@nimbus/http';

/**
 * Cinder's error bodies: `{"badRequest": {"code": 400, "message": "..."}}` (Nova's style, which
 * Cinder shares), except the 401 keystonemiddleware answers before Cinder sees the request.
 */
export const cinderFaultRenderer: FaultRenderer = (fault) =>
  fault.status === 401 ? keystoneFaults(fault) : novaFaults(fault);
