import { InstanceInvalidState } from '../../manager/compute-errors';
import { VmState } from '../../manager/vm-states';
import { type ComputeRequest, findServer } from '../compute-request';

const POWER_NAMES: Record<number, string> = {
  0: 'pending',
  1: 'running',
  3: 'paused',
  4: 'shutdown',
  6: 'crashed',
  7: 'suspended',
};

/**
 * `GET /servers/{id}/diagnostics` (admin): the guest's diagnostics in the 2.48 standard form
 * (before 2.48 a flat, driver-specific dictionary), as the simulated hypervisor reports them:
 * the driver reports itself as libvirt/kvm, as upstream's fake driver does.
 */
export async function showServerDiagnostics(req: ComputeRequest<unknown>) {
  const i = await findServer(req, req.params.server_id!, 'os_compute_api:os-server-diagnostics');
  if (i.vmState === VmState.BUILDING || !i.host)
    throw new InstanceInvalidState('get_diagnostics', i.uuid, 'vm_state', i.vmState);
  const uptime = i.launchedAt
    ? Math.max(0, Math.floor((Date.now() - Date.parse(`${i.launchedAt.slice(0, 19)}Z`)) / 1000))
    : 0;
  const memKb = i.flavor.memory_mb * 1024;
  if (!req.microversion.atLeast('2.48')) {
    const flat: Record<string, number> = { memory: memKb, uptime };
    for (let c = 0; c < i.flavor.vcpus; c++) flat[`cpu${c}_time`] = 0;
    i.networkInfo.forEach((_v, n) => {
      flat[`tap${n}_rx`] = 0;
      flat[`tap${n}_tx`] = 0;
    });
    flat.vda_read = 0;
    flat.vda_write = 0;
    return flat;
  }
  return {
    state: POWER_NAMES[i.powerState] ?? 'pending',
    driver: 'libvirt',
    hypervisor: 'kvm',
    hypervisor_os: 'linux',
    uptime,
    config_drive: i.configDrive === 'True',
    num_cpus: i.flavor.vcpus,
    num_nics: i.networkInfo.length,
    num_disks: 1,
    memory_details: { maximum: i.flavor.memory_mb, used: 0 },
    cpu_details: Array.from({ length: i.flavor.vcpus }, (_, id) => ({ id, time: 0, utilisation: null })),
    nic_details: i.networkInfo.map((v) => ({
      mac_address: v.mac_address,
      rx_octets: 0,
      rx_errors: 0,
      rx_drop: 0,
      rx_packets: 0,
      rx_rate: null,
      tx_octets: 0,
      tx_errors: 0,
      tx_drop: 0,
      tx_packets: 0,
      tx_rate: null,
    })),
    disk_details: [{ read_bytes: 0, read_requests: 0, write_bytes: 0, write_requests: 0, errors_count: 0 }],
  };
}
