/** One `os-server-external-events` event, as Neutron sends them to Nova. */
export interface ServerEvent {
  name: 'network-vif-plugged' | 'network-vif-unplugged' | 'network-vif-deleted';
  server_uuid: string;
  tag: string;
  status: 'completed' | 'failed';
}

/** Where port events go (compute's external events API); never throws into the port's request. */
export interface PortEventSink {
  send(events: ServerEvent[]): Promise<void>;
}

/** What the events are computed from: a port's status, owner, device and id. */
interface PortState {
  id: unknown;
  status: unknown;
  device_owner: unknown;
  device_id: unknown;
}

/**
 * The events Nova expects from a port change, as Neutron's Nova notifier sends them: only for
 * ports of servers (`compute:*` owners with a device id); DOWN → ACTIVE is `network-vif-plugged`,
 * ACTIVE → DOWN `network-vif-unplugged`, → ERROR a failed `network-vif-plugged`, and a deleted
 * port `network-vif-deleted`.
 */
export function portEvents(before: PortState | undefined, after: PortState | undefined): ServerEvent[] {
  const port = after ?? before;
  if (!port || !String(port.device_owner ?? '').startsWith('compute:') || !port.device_id) return [];
  const event = (name: ServerEvent['name'], status: ServerEvent['status'] = 'completed'): ServerEvent[] => [
    { name, server_uuid: String(port.device_id), tag: String(port.id), status },
  ];
  if (!after) return event('network-vif-deleted');
  if (before?.status === after.status) return [];
  if (after.status === 'ACTIVE') return event('network-vif-plugged');
  if (after.status === 'ERROR') return event('network-vif-plugged', 'failed');
  if (after.status === 'DOWN' && before?.status === 'ACTIVE') return event('network-vif-unplugged');
  return [];
}
