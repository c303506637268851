import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ComputeDriver,
  type ComputeDriverOptions,
  DriverError,
  type GuestBlockDevice,
  type GuestInfo,
  type HostResources,
  PowerState,
  type PowerStateValue,
  type SpawnRequest,
} from '../driver-api';

interface FakeGuest {
  powerState: PowerStateValue;
  name: string;
  log: string[];
  /** The image the guest booted from (what a snapshot records as its origin). */
  imageId: string;
  /** The rescue image the guest runs from, while in rescue. */
  rescueImage?: string;
  /** Attached volumes by volume id. */
  volumes: Map<string, GuestBlockDevice>;
}

/**
 * The fake driver: guests are entries in memory, per host, with honest power states (a stopped
 * guest reports shut off), optional per-operation delays and injected spawn failures. Thousands
 * of hosts cost a map entry each.
 */
export function createFakeComputeDriver(o: ComputeDriverOptions): ComputeDriver {
  const hosts = new Map<string, Map<string, FakeGuest>>();
  const guests = (host: string) => {
    let m = hosts.get(host);
    if (!m) {
      m = new Map();
      hosts.set(host, m);
    }
    return m;
  };
  const guest = (host: string, id: string): FakeGuest => {
    const g = guests(host).get(id);
    if (!g) throw new DriverError(`Instance ${id} is not on host ${host}`, false);
    return g;
  };
  const delay = async (ms: number) => {
    if (ms > 0) await sleep(ms);
  };
  const power = async (
    host: string,
    id: string,
    from: readonly PowerStateValue[] | undefined,
    to: PowerStateValue,
    line: string,
  ) => {
    await delay(o.powerDelayMs);
    const g = guest(host, id);
    if (from && !from.includes(g.powerState))
      throw new DriverError(`Instance ${id} is in power state ${g.powerState}`, false);
    g.powerState = to;
    g.log.push(line);
  };
  const resources: HostResources = {
    vcpus: o.vcpus,
    memoryMb: o.memoryMb,
    localGb: o.localGb,
    numaCells: o.numaCells,
    hypervisorType: 'fake',
    hypervisorVersion: 1000,
    hostIp: '127.0.0.1',
    cpuInfo: {
      arch: 'x86_64',
      model: 'fake',
      vendor: 'Nimbus',
      topology: { sockets: o.numaCells, cores: Math.max(1, Math.floor(o.vcpus / o.numaCells)), threads: 1 },
      features: [],
    },
  };
  return {
    capabilities: {
      supportsRescue: true,
      supportsPause: true,
      supportsSuspend: true,
      supportsLiveMigration: true,
      supportsConsoleLog: true,
      supportsAttachInterface: true,
      supportsMultiattach: true,
    },
    async init() {},
    hostResources: () => resources,
    async spawn(r: SpawnRequest): Promise<GuestInfo> {
      await delay(o.spawnDelayMs);
      if (o.failSpawnHosts.includes(r.host))
        throw new DriverError(`Injected spawn failure on host ${r.host}`, true);
      const existing = guests(r.host).get(r.instanceId);
      if (existing) return { powerState: existing.powerState };
      guests(r.host).set(r.instanceId, {
        powerState: PowerState.RUNNING,
        name: r.name,
        imageId: r.imageId,
        log: [
          r.imageId
            ? `Booting ${r.name} (${r.instanceId}) from image ${r.imageId}`
            : `Booting ${r.name} (${r.instanceId}) from volume ${r.blockDevices?.find((b) => b.device === '/dev/vda')?.volumeId ?? ''}`,
          ...r.vifs.map((v) => `eth: ${v.macAddress} ${v.fixedIps.join(' ')}`),
          'login:',
        ],
        volumes: new Map(
          (r.blockDevices ?? []).map((c) => [c.volumeId, { volumeId: c.volumeId, device: c.device }]),
        ),
      });
      return { powerState: PowerState.RUNNING };
    },
    async destroy(host, id) {
      await delay(o.powerDelayMs);
      guests(host).delete(id);
    },
    powerOff: (h, id) => power(h, id, undefined, PowerState.SHUTDOWN, 'Power down.'),
    powerOn: (h, id) => power(h, id, undefined, PowerState.RUNNING, 'Power on. login:'),
    reboot: (h, id, hard) =>
      power(h, id, undefined, PowerState.RUNNING, hard ? 'Hard reboot. login:' : 'Reboot. login:'),
    pause: (h, id) => power(h, id, [PowerState.RUNNING], PowerState.PAUSED, 'Paused.'),
    unpause: (h, id) => power(h, id, [PowerState.PAUSED], PowerState.RUNNING, 'Unpaused.'),
    suspend: (h, id) => power(h, id, [PowerState.RUNNING], PowerState.SUSPENDED, 'Suspended.'),
    resume: (h, id) => power(h, id, [PowerState.SUSPENDED], PowerState.RUNNING, 'Resumed.'),
    async setAdminPassword(h, id) {
      await delay(o.powerDelayMs);
      const g = guest(h, id);
      if (g.powerState !== PowerState.RUNNING) throw new DriverError(`Instance ${id} is not running`, false);
      g.log.push('Admin password changed.');
    },
    async injectNmi(h, id) {
      guest(h, id).log.push('NMI received: crash dump.');
    },
    powerState: (h, id) => hosts.get(h)?.get(id)?.powerState,
    listGuests: (h) => [...(hosts.get(h)?.keys() ?? [])],
    async rescue(h, id, r) {
      await delay(o.powerDelayMs);
      const g = guest(h, id);
      if (g.rescueImage) throw new DriverError(`Instance ${id} is already in rescue`, false);
      g.rescueImage = r.imageId;
      g.powerState = PowerState.RUNNING;
      g.log.push(`Rescue: booting from image ${r.imageId}, own disk attached. login:`);
    },
    async unrescue(h, id) {
      await delay(o.powerDelayMs);
      const g = guest(h, id);
      if (!g.rescueImage) throw new DriverError(`Instance ${id} is not in rescue`, false);
      delete g.rescueImage;
      g.powerState = PowerState.RUNNING;
      g.log.push('Unrescue: booting from own disk. login:');
    },
    async snapshot(h, id) {
      await delay(o.powerDelayMs);
      const g = guest(h, id);
      g.log.push('Snapshot of the root disk taken.');
      // A small, honest payload: what the fake guest's disk holds, readable back from the image.
      return Buffer.from(`nimbus fake disk of ${g.name} (${id}), booted from image ${g.imageId}\n`);
    },
    async consoleOutput(h, id) {
      return `${guest(h, id).log.join('\n')}\n`;
    },
    volumeConnector: (h) => ({
      host: h,
      ip: resources.hostIp,
      initiator: `iqn.2026-01.org.nimbus:${h}`,
      platform: 'x86_64',
      os_type: 'linux',
      multipath: false,
      do_local_attach: false,
    }),
    async attachVolume(h, id, c) {
      await delay(o.powerDelayMs);
      const g = guest(h, id);
      const size = Number(c.connectionInfo.size_gb ?? c.connectionInfo.size ?? Number.NaN);
      g.volumes.set(c.volumeId, {
        volumeId: c.volumeId,
        device: c.device,
        ...(Number.isFinite(size) ? { sizeGb: size } : {}),
      });
      g.log.push(`Volume ${c.volumeId} attached at ${c.device}.`);
    },
    async detachVolume(h, id, volumeId) {
      await delay(o.powerDelayMs);
      const g = hosts.get(h)?.get(id);
      if (g?.volumes.delete(volumeId)) g.log.push(`Volume ${volumeId} detached.`);
    },
    async swapVolume(h, id, oldVolumeId, next) {
      await delay(o.powerDelayMs);
      const g = guest(h, id);
      const old = g.volumes.get(oldVolumeId);
      if (!old) throw new DriverError(`Volume ${oldVolumeId} is not attached to ${id}`, false);
      g.volumes.delete(oldVolumeId);
      g.volumes.set(next.volumeId, { volumeId: next.volumeId, device: old.device });
      g.log.push(`Volume ${oldVolumeId} swapped for ${next.volumeId} at ${old.device}.`);
    },
    async extendVolume(h, id, volumeId, sizeGb) {
      const g = guest(h, id);
      const v = g.volumes.get(volumeId);
      if (!v) throw new DriverError(`Volume ${volumeId} is not attached to ${id}`, false);
      v.sizeGb = sizeGb;
      g.log.push(`Volume ${volumeId} resized to ${sizeGb} GB.`);
    },
    blockDevices: (h, id) => {
      const g = hosts.get(h)?.get(id);
      return g ? [...g.volumes.values()].map((v) => ({ ...v })) : undefined;
    },
  };
}
