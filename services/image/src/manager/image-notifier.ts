import type { NotificationPriority, Notifier } from '@nimbus/bus';
import type { Logger } from '@nimbus/logging';
import type { ImageRecord } from '../db/repositories/image-repository';
import type { MemberRecord } from '../db/repositories/member-repository';

/** Glance's time format in notifications (`timeutils.isotime`): seconds and `Z`. */
const isoTime = (iso: string) => `${iso.slice(0, 19)}Z`;

/** An image as Glance's notifications describe it (never its locations: they may hold credentials). */
export function imageNotificationPayload(image: ImageRecord): Record<string, unknown> {
  return {
    id: image.id,
    name: image.name,
    status: image.status,
    created_at: isoTime(image.createdAt),
    updated_at: isoTime(image.updatedAt),
    min_disk: image.minDisk,
    min_ram: image.minRam,
    protected: image.protected,
    checksum: image.checksum,
    owner: image.owner,
    disk_format: image.diskFormat,
    container_format: image.containerFormat,
    size: image.size,
    virtual_size: image.virtualSize,
    is_public: image.visibility === 'public',
    visibility: image.visibility,
    properties: { ...image.properties },
    tags: [...image.tags],
    deleted: false,
    deleted_at: null,
  };
}

/** An image member as Glance's notifications describe it. */
export function memberNotificationPayload(member: MemberRecord): Record<string, unknown> {
  return {
    image_id: member.imageId,
    member_id: member.member,
    status: member.status,
    created_at: isoTime(member.createdAt),
    updated_at: isoTime(member.updatedAt),
    deleted: false,
    deleted_at: null,
  };
}

/** The import properties `image.prepare` and `image.upload` carry, as lists. */
export function importProperties(image: ImageRecord): Record<string, string[]> {
  const list = (v: string | undefined) => (v ? v.split(',') : []);
  return {
    os_glance_importing_to_stores: list(image.properties.os_glance_importing_to_stores),
    os_glance_failed_import: list(image.properties.os_glance_failed_import),
  };
}

/**
 * Glance's notifications (publisher `[image] default_publisher_id`, `image.localhost` by default,
 * on the `glance` control exchange, with an empty context as Glance sends them): `image.create`,
 * `image.update`, `image.delete`, `image.prepare`, `image.upload` (ERROR with a message when it
 * fails), `image.activate`, `image.member.*`. `[image] disabled_notifications` drops an event type
 * (`image.update`) or a whole group (`image`). Sending never fails the caller: errors are logged.
 */
export class ImageNotifier {
  constructor(
    private readonly notifier: Notifier | undefined,
    private readonly disabled: readonly string[],
    private readonly logger: Logger,
  ) {}

  /** An image event at INFO: the image's payload and `extra` keys. */
  image(eventType: string, image: ImageRecord, extra: Record<string, unknown> = {}): Promise<void> {
    return this.send('info', eventType, { ...imageNotificationPayload(image), ...extra });
  }

  /** An image member event at INFO. */
  member(eventType: string, member: MemberRecord, extra: Record<string, unknown> = {}): Promise<void> {
    return this.send('info', eventType, { ...memberNotificationPayload(member), ...extra });
  }

  /** Sends unless disabled; never throws. */
  async send(priority: NotificationPriority, eventType: string, payload: unknown): Promise<void> {
    if (!this.notifier || !this.enabled(eventType)) return;
    try {
      await this.notifier.notify(priority, {}, eventType, payload);
    } catch (err) {
      this.logger.error({ err, eventType }, 'image notification failed');
    }
  }

  private enabled(eventType: string): boolean {
    const group = eventType.split('.', 1)[0]!;
    return !this.disabled.some((d) => d === eventType || d === group);
  }
}
