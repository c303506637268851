import { type EndpointSource, RestClient, type RestClientOptions } from './rest-client';

/** A volume as Cinder shows it (the fields other services read; the rest are kept). */
export type VolumeDocument = {
  id: string;
  status: string;
  size: number;
  multiattach?: boolean;
  attachments?: { server_id: string | null; attachment_id: string; device: string | null }[];
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
}
