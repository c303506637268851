import type { Microversion } from '@nimbus/http';
import type { BlockDeviceMapping } from '../../db/block-device-mapping-repository';

/** One `volumeAttachment` of a server, per microversion (2.70 tag, 2.79 flag, 2.89 ids). */
export function volumeAttachmentView(m: BlockDeviceMapping, mv: Microversion): Record<string, unknown> {
  const v: Record<string, unknown> = {
    ...(mv.atLeast('2.89') ? {} : { id: m.volumeId }),
    serverId: m.instanceUuid,
    volumeId: m.volumeId,
    device: m.deviceName,
  };
  if (mv.atLeast('2.70')) v.tag = m.tag;
  if (mv.atLeast('2.79')) v.delete_on_termination = m.deleteOnTermination;
  if (mv.atLeast('2.89')) {
    v.attachment_id = m.attachmentId;
    v.bdm_uuid = m.uuid;
  }
  return v;
}

/** A server view's `os-extended-volumes:volumes_attached` (2.3 adds `delete_on_termination`). */
export function volumesAttachedView(mappings: readonly BlockDeviceMapping[], mv: Microversion): unknown[] {
  return mappings
    .filter((m) => m.destinationType === 'volume' && m.volumeId)
    .map((m) => ({
      id: m.volumeId,
      ...(mv.atLeast('2.3') ? { delete_on_termination: m.deleteOnTermination } : {}),
    }));
}

/**
 * Fills `os-extended-volumes:volumes_attached` of server views (show, detail) from the servers'
 * mappings, in one query; views without the key (brief forms) are left alone.
 */
export async function withVolumesAttached(
  req: {
    microversion: Microversion;
    services: { bdms: { forInstances(ids: readonly string[]): Promise<BlockDeviceMapping[]> } };
  },
  views: readonly Record<string, unknown>[],
): Promise<void> {
  const wanted = views.filter((v) => 'os-extended-volumes:volumes_attached' in v);
  if (wanted.length === 0) return;
  const all = await req.services.bdms.forInstances(wanted.map((v) => String(v.id)));
  for (const v of wanted)
    v['os-extended-volumes:volumes_attached'] = volumesAttachedView(
      all.filter((m) => m.instanceUuid === v.id),
      req.microversion,
    );
}
