import type { Notifier, RpcContext } from '@nimbus/bus';
import type { Logger } from '@nimbus/logging';
import type { Instance } from '../db/instance-repository';
import { serverStatus } from './vm-states';

/**
 * Nova's versioned notifications (`instance.create.start`, `instance.power_off.end`...) in oslo's
 * envelope, payload `{nova_object.name: InstanceActionPayload, nova_object.data: ...}`. A bus
 * failure is logged and never fails the operation (upstream's behaviour).
 */
export class ComputeNotifier {
  constructor(
    private readonly notifier: Notifier | undefined,
    private readonly logger: Logger,
  ) {}

  /** Sends `instance.<action>.<phase>` about `instance` (phase `start`, `end` or `error`). */
  async instance(
    ctx: RpcContext,
    action: string,
    phase: 'start' | 'end' | 'error',
    instance: Instance,
    fault?: { message: string },
  ): Promise<void> {
    if (!this.notifier) return;
    const payload = {
      'nova_object.name': 'InstanceActionPayload',
      'nova_object.namespace': 'nova',
      'nova_object.version': '1.8',
      'nova_object.data': {
        uuid: instance.uuid,
        display_name: instance.name,
        display_description: instance.description,
        host: instance.host,
        node: instance.node,
        tenant_id: instance.projectId,
        user_id: instance.userId,
        state: instance.vmState,
        task_state: instance.taskState,
        power_state: powerStateName(instance.powerState),
        status: serverStatus(instance.vmState, instance.taskState),
        availability_zone: instance.availabilityZone,
        image_uuid: instance.imageRef,
        flavor: {
          'nova_object.name': 'FlavorPayload',
          'nova_object.data': {
            flavorid: instance.flavor.flavorid,
            name: instance.flavor.name,
            vcpus: instance.flavor.vcpus,
            memory_mb: instance.flavor.memory_mb,
            root_gb: instance.flavor.root_gb,
            ephemeral_gb: instance.flavor.ephemeral_gb,
            swap: instance.flavor.swap,
            extra_specs: instance.flavor.extra_specs,
          },
        },
        ip_addresses: instance.networkInfo.flatMap((v) =>
          v.fixed_ips.map((ip) => ({
            address: ip.ip_address,
            version: ip.version,
            port_uuid: v.port_id,
            mac: v.mac_address,
            label: v.network_name,
          })),
        ),
        metadata: instance.metadata,
        tags: instance.tags,
        locked: instance.lockedBy !== null,
        created_at: instance.createdAt,
        launched_at: instance.launchedAt,
        terminated_at: instance.terminatedAt,
        deleted_at: instance.deletedAt,
        fault: fault
          ? {
              'nova_object.name': 'ExceptionPayload',
              'nova_object.data': { exception_message: fault.message },
            }
          : null,
      },
    };
    try {
      await (phase === 'error' ? this.notifier.error : this.notifier.info)(
        ctx,
        `instance.${action}.${phase}`,
        payload,
      );
    } catch (err) {
      this.logger.warn({ err, action }, 'compute: could not send a notification');
    }
  }
}

const POWER_NAMES: Record<number, string> = {
  0: 'pending',
  1: 'running',
  3: 'paused',
  4: 'shutdown',
  6: 'crashed',
  7: 'suspended',
};

function powerStateName(p: number): string {
  return POWER_NAMES[p] ?? 'pending';
}
