import { type EndpointSource, RestClient, type RestClientOptions } from './rest-client';

/** A volume as Cinder shows it (the fields other services read; the rest are kept). */
export type VolumeDocument = {
  id: string;
  status: string;
  size: number;
  multiattach?: boolean;
  attachments?: { server_id: string | null; attachment_id: string; device: string | null }[];
} & Record<string, unknown>;

/** A volume snapshot as Cinder shows it. */
export type SnapshotDocument = {
  id: string;
  status: string;
  size: number;
  volume_id: string;
  name?: string | null;
  description?: string | null;
  created_at?: string;
} & Record<string, unknown>;

/** A volume attachment (Cinder 3.27+). */
export type AttachmentDocument = {
  id: string;
  status: string;
  instance: string | null;
  volume_id: string;
  attach_mode?: string;
  connection_info?: Record<string, unknown> | null;
} & Record<string, unknown>;

/** The microversion the attachment calls use (3.44: attachments with `os-complete`). */
const ATTACH_VERSION = { 'openstack-api-version': 'volume 3.44' };

/**
 * The block-storage (Cinder v3) calls other services make: read a volume, and the attachment
 * flow compute uses (create, update with a connector to get connection info, complete, delete).
 * Paths are relative to the catalog URL, which already names the project (`/v3/{project_id}`).
 */
export class BlockStorageClient {
  private readonly rest: RestClient;

  constructor(source: EndpointSource, options: RestClientOptions = {}) {
    this.rest = new RestClient('block-storage', source, options);
  }

  /** One volume; RemoteServiceError (404) when absent or not visible. */
  async getVolume(id: string): Promise<VolumeDocument> {
    return (
      await this.rest.json<{ volume: VolumeDocument }>({
        method: 'GET',
        path: `/volumes/${encodeURIComponent(id)}`,
      })
    ).volume;
  }

  /** Reserves the volume for an instance; with a connector it also answers the connection info. */
  async createAttachment(input: {
    volumeId: string;
    instanceId: string;
    connector?: Record<string, unknown>;
    mode?: 'rw' | 'ro';
  }): Promise<AttachmentDocument> {
    const body = await this.rest.json<{ attachment: AttachmentDocument }>({
      method: 'POST',
      path: '/attachments',
      headers: {
        'openstack-api-version': input.mode ? 'volume 3.54' : ATTACH_VERSION['openstack-api-version'],
      },
      json: {
        attachment: {
          volume_uuid: input.volumeId,
          instance_uuid: input.instanceId,
          ...(input.connector ? { connector: input.connector } : {}),
          ...(input.mode ? { mode: input.mode } : {}),
        },
      },
    });
    return body.attachment;
  }

  /** Gives the attachment the host's connector; answers the connection info. */
  async updateAttachment(id: string, connector: Record<string, unknown>): Promise<AttachmentDocument> {
    const body = await this.rest.json<{ attachment: AttachmentDocument }>({
      method: 'PUT',
      path: `/attachments/${encodeURIComponent(id)}`,
      headers: ATTACH_VERSION,
      json: { attachment: { connector } },
    });
    return body.attachment;
  }

  /** Marks the attachment attached (the volume goes `in-use`). */
  async completeAttachment(id: string): Promise<void> {
    await this.rest.request({
      method: 'POST',
      path: `/attachments/${encodeURIComponent(id)}/action`,
      headers: ATTACH_VERSION,
      json: { 'os-complete': null },
      expect: [204],
    });
  }

  /** Ends the attachment (the volume goes back to `available` when it was the last). */
  async deleteAttachment(id: string): Promise<void> {
    await this.rest.request({
      method: 'DELETE',
      path: `/attachments/${encodeURIComponent(id)}`,
      headers: ATTACH_VERSION,
    });
  }

  /** Volumes of the token's project (`detail` view), filtered by Cinder's query parameters. */
  async listVolumes(query: Record<string, string | number | undefined> = {}): Promise<VolumeDocument[]> {
    return (
      await this.rest.json<{ volumes: VolumeDocument[] }>({ method: 'GET', path: '/volumes/detail', query })
    ).volumes;
  }

  /**
   * Creates a volume (`size` in GB; from an image, a snapshot or another volume when named);
   * answers it `creating`: poll `getVolume` until `available` or `error`.
   */
  async createVolume(input: {
    size: number;
    name?: string | null;
    description?: string | null;
    imageRef?: string;
    snapshotId?: string;
    sourceVolid?: string;
    volumeType?: string;
    availabilityZone?: string;
    metadata?: Record<string, string>;
  }): Promise<VolumeDocument> {
    const body = await this.rest.json<{ volume: VolumeDocument }>({
      method: 'POST',
      path: '/volumes',
      json: {
        volume: {
          size: input.size,
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.imageRef ? { imageRef: input.imageRef } : {}),
          ...(input.snapshotId ? { snapshot_id: input.snapshotId } : {}),
          ...(input.sourceVolid ? { source_volid: input.sourceVolid } : {}),
          ...(input.volumeType ? { volume_type: input.volumeType } : {}),
          ...(input.availabilityZone ? { availability_zone: input.availabilityZone } : {}),
          ...(input.metadata ? { metadata: input.metadata } : {}),
        },
      },
    });
    return body.volume;
  }

  /** Deletes a volume (Cinder answers 202; the volume goes `deleting`, then away). */
  async deleteVolume(id: string): Promise<void> {
    await this.rest.request({ method: 'DELETE', path: `/volumes/${encodeURIComponent(id)}`, expect: [202] });
  }

  /** One snapshot; RemoteServiceError (404) when absent or not visible. */
  async getSnapshot(id: string): Promise<SnapshotDocument> {
    return (
      await this.rest.json<{ snapshot: SnapshotDocument }>({
        method: 'GET',
        path: `/snapshots/${encodeURIComponent(id)}`,
      })
    ).snapshot;
  }

  /** Snapshots of the token's project (`detail` view). */
  async listSnapshots(query: Record<string, string | number | undefined> = {}): Promise<SnapshotDocument[]> {
    return (
      await this.rest.json<{ snapshots: SnapshotDocument[] }>({
        method: 'GET',
        path: '/snapshots/detail',
        query,
      })
    ).snapshots;
  }

  /** Snapshots a volume (`force` for one in use); answers it `creating`. */
  async createSnapshot(input: {
    volumeId: string;
    name?: string | null;
    description?: string | null;
    force?: boolean;
  }): Promise<SnapshotDocument> {
    const body = await this.rest.json<{ snapshot: SnapshotDocument }>({
      method: 'POST',
      path: '/snapshots',
      json: {
        snapshot: {
          volume_id: input.volumeId,
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.force !== undefined ? { force: input.force } : {}),
        },
      },
    });
    return body.snapshot;
  }

  /** Deletes a snapshot (202). */
  async deleteSnapshot(id: string): Promise<void> {
    await this.rest.request({
      method: 'DELETE',
      path: `/snapshots/${encodeURIComponent(id)}`,
      expect: [202],
    });
  }
}
