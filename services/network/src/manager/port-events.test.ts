import { describe, expect, it } from 'vitest';
import { portEvents } from './port-events';

describe('port events for compute', () => {
  const port = { id: 'p1', device_owner: 'compute:nova', device_id: 's1', status: 'DOWN' };
  it('announces plugging, unplugging, failure and deletion of a server port', () => {
    const plugged = portEvents(port, { ...port, status: 'ACTIVE' });
    expect(plugged).toEqual([
      { name: 'network-vif-plugged', server_uuid: 's1', tag: 'p1', status: 'completed' },
    ]);
    expect(portEvents({ ...port, status: 'ACTIVE' }, port)[0]!.name).toBe('network-vif-unplugged');
    expect(portEvents(port, { ...port, status: 'ERROR' })[0]!.status).toBe('failed');
    expect(portEvents(port, undefined)[0]!.name).toBe('network-vif-deleted');
  });
  it('says nothing for unchanged or non-server ports', () => {
    expect(portEvents(port, port)).toEqual([]);
    const dhcp = { ...port, device_owner: 'network:dhcp' };
    expect(portEvents(dhcp, { ...dhcp, status: 'ACTIVE' })).toEqual([]);
    expect(portEvents({ ...port, device_id: '' }, { ...port, device_id: '', status: 'ACTIVE' })).toEqual([]);
  });
});
