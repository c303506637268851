import { RemoteServiceError, type ServiceClients } from '@nimbus/clients';
import type { Logger } from '@nimbus/logging';
import type { BlockDeviceMappingRepository } from '../../db/block-device-mapping-repository';
import type { InstanceRepository } from '../../db/instance-repository';
import { volumeClientFor } from './volume-client';

/**
 * What a deleted server leaves to block storage, as Nova's `_cleanup_volumes`: every attachment
 * deleted (the guest is gone, so its volumes are free), every volume marked
 * `delete_on_termination` deleted, the mappings dropped. Runs as the compute service user (an
 * admin) in the server's project; a failure is logged and does not stop the server's deletion.
 */
export class VolumeCleanup {
  constructor(
    private readonly deps: {
      bdms: BlockDeviceMappingRepository;
      instances: InstanceRepository;
      clients: () => ServiceClients;
      logger: Logger;
    },
  ) {}

  /** Frees (and deletes where asked) the volumes of a server being deleted. */
  async instanceDeleted(instanceUuid: string): Promise<void> {
    const mappings = await this.deps.bdms.forInstance(instanceUuid);
    if (mappings.length === 0) return;
    const instance = await this.deps.instances.get(instanceUuid, true);
    const cinder = volumeClientFor(this.deps.clients(), instance?.projectId ?? '');
    for (const m of mappings) {
      if (m.destinationType !== 'volume' || !m.volumeId) continue;
      try {
        if (m.attachmentId)
          await cinder.deleteAttachment(m.attachmentId).catch((err: unknown) => {
            if (!(err instanceof RemoteServiceError && err.httpStatus === 404)) throw err;
          });
        if (m.deleteOnTermination) await cinder.deleteVolume(m.volumeId);
      } catch (err) {
        this.deps.logger.warn(
          { err, instance: instanceUuid, volume: m.volumeId },
          'compute: could not release a volume of a deleted server',
        );
      }
    }
    await this.deps.bdms.deleteForInstance(instanceUuid);
  }
}
