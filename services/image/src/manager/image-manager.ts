import { randomUUID } from 'node:crypto';
import { type Logger, silentLogger } from '@nimbus/logging';
import type { ImageRecord, ImageRepository } from '../db/repositories/image-repository';
import type { MemberRepository } from '../db/repositories/member-repository';
import type { ImageCache } from '../cache/image-cache';
import type { ImageStores } from '../drivers/store/image-stores';
import type { ImageCaller } from './image-caller';
import { badRequest, conflict, forbidden, imageNotFound, tagNotFound, tooLarge } from './image-errors';
import { BASE_FIELDS, CONTAINER_FORMATS, DISK_FORMATS, READ_ONLY, RESERVED_PREFIX } from './image-fields';
import type { ImageQuery } from './image-query';
import type { PropertyOperation, PropertyProtections } from './property-protections';
import type { ImageQuotas } from './image-quotas';
import type { ImageNotifier } from './image-notifier';

/** Quotas of images (Glance's `[DEFAULT]` limits). */
export interface ImageLimits {
  tags: number;
  properties: number;
  /** Leave deleted images' data to the scrubber (Glance's `delayed_delete`). */
  delayedDelete?: boolean;
}

/** One JSON-patch operation on an image. */
export interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Images: creation with Glance's validation (read-only and reserved attributes, formats,
 * visibility rules), lists with visibility, membership, filters, sort and marker paging, JSON-patch
 * updates, tags, deactivation and deletion. Who sees an image: its owner, admins, everyone for
 * public and community images, and its members for shared ones.
 */
export class ImageManager {
  constructor(
    private readonly images: ImageRepository,
    private readonly members: MemberRepository,
    private readonly stores: ImageStores,
    private readonly limits: ImageLimits,
    private readonly cache?: ImageCache,
    private readonly protections?: PropertyProtections,
    private readonly quotas?: ImageQuotas,
    /** Announces changes as Glance does (`image.create`, `image.update`, `image.delete`). */
    private readonly notifier?: ImageNotifier,
    /** Where failures that do not fail the request (data left behind by a delete) are logged. */
    private readonly log: Logger = silentLogger(),
  ) {}

  /** Announces an image's current state (e.g. `image.update`); a gone image is not announced. */
  async announce(eventType: string, id: string): Promise<void> {
    const image = this.notifier && (await this.images.get(id));
    if (image) await this.notifier!.image(eventType, image);
  }

  /** An image the caller may see, or 404. */
  async get(caller: ImageCaller, id: string): Promise<ImageRecord> {
    const image = await this.images.get(id);
    if (!image || !(await this.visible(caller, image))) throw imageNotFound(id);
    return image;
  }

  /** An image the caller may change (owner or admin): 404 when invisible, 403 when only visible. */
  async getOwned(caller: ImageCaller, id: string, action = 'modify'): Promise<ImageRecord> {
    const image = await this.get(caller, id);
    if (!caller.isAdmin && image.owner !== caller.projectId)
      throw forbidden(`You are not permitted to ${action} this image.`);
    return image;
  }

  async create(caller: ImageCaller, body: Record<string, unknown>): Promise<ImageRecord> {
    for (const key of Object.keys(body))
      if (READ_ONLY.includes(key)) throw forbidden(`Attribute '${key}' is read-only.`);
    const props: Record<string, string> = {};
    const base: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      if (key in BASE_FIELDS) base[key] = value;
      else {
        props[key] = this.propertyValue(key, value);
        this.protect(caller, key, 'create');
      }
    }
    const id = base.id === undefined ? randomUUID() : String(base.id);
    if (!UUID.test(id)) throw badRequest(`id: '${id}' is not a valid UUID`);
    if (await this.images.exists(id)) throw conflict(`Image with identifier ${id} already exists!`);
    const owner =
      base.owner === undefined || base.owner === null ? (caller.projectId ?? null) : String(base.owner);
    if (owner !== caller.projectId && !caller.isAdmin)
      throw forbidden(`You are not permitted to create images owned by '${owner}'.`);
    const visibility = (base.visibility ?? 'shared') as ImageRecord['visibility'];
    this.checkVisibility(caller, visibility);
    const tags = (base.tags as string[] | undefined) ?? [];
    if (new Set(tags).size > this.limits.tags && this.limits.tags >= 0)
      throw tooLarge(`Maximum number of tags exceeded by ${new Set(tags).size - this.limits.tags}`);
    this.checkPropertyCount(props);
    await this.quotas?.enforce(owner, { image_count_total: 0 });
    const created = await this.images.create({
      id,
      name: (base.name as string | null | undefined) ?? null,
      status: 'queued',
      visibility,
      protected: (base.protected as boolean | undefined) ?? false,
      osHidden: (base.os_hidden as boolean | undefined) ?? false,
      owner,
      size: null,
      virtualSize: null,
      diskFormat: (base.disk_format as string | null | undefined) ?? null,
      containerFormat: (base.container_format as string | null | undefined) ?? null,
      minDisk: (base.min_disk as number | undefined) ?? 0,
      minRam: (base.min_ram as number | undefined) ?? 0,
      checksum: null,
      osHashAlgo: null,
      osHashValue: null,
      properties: props,
      tags: [...new Set(tags)],
    });
    await this.notifier?.image('image.create', created);
    return created;
  }

  /** `GET /v2/images`: one page and whether more follow. */
  async list(caller: ImageCaller, q: ImageQuery): Promise<{ images: ImageRecord[]; more: boolean }> {
    const { page, more, markerFound } = await this.images.page({
      ...q,
      projectId: caller.projectId,
      isAdmin: caller.isAdmin,
    });
    if (!markerFound) throw badRequest(`Invalid marker. Image ${q.marker} could not be found.`);
    return { images: await this.images.withDetails(page), more };
  }

  /** Applies JSON-patch operations (`application/openstack-images-v2.1-json-patch`). */
  async update(caller: ImageCaller, id: string, ops: readonly PatchOp[]): Promise<ImageRecord> {
    const image = await this.getOwned(caller, id);
    const next: ImageRecord = { ...image, properties: { ...image.properties }, tags: [...image.tags] };
    for (const op of ops) {
      const path = op.path.replace(/^\//, '');
      if (!path || path.includes('/'))
        throw badRequest(`Invalid JSON pointer for this resource: '${op.path}'`);
      if (READ_ONLY.includes(path) || path === 'id') throw forbidden(`Attribute '${path}' is read-only.`);
      if (path in BASE_FIELDS) this.patchBase(caller, next, path, op);
      else this.patchProperty(caller, next, path, op);
    }
    this.checkPropertyCount(next.properties);
    if (next.tags.length > this.limits.tags && this.limits.tags >= 0)
      throw tooLarge(`Maximum number of tags exceeded by ${next.tags.length - this.limits.tags}`);
    await this.images.update(id, {
      name: next.name,
      visibility: next.visibility,
      protected: next.protected,
      osHidden: next.osHidden,
      owner: next.owner,
      diskFormat: next.diskFormat,
      containerFormat: next.containerFormat,
      minDisk: next.minDisk,
      minRam: next.minRam,
      properties: next.properties,
      tags: next.tags,
    });
    const updated = (await this.images.get(id))!;
    await this.notifier?.image('image.update', updated);
    return updated;
  }

  async delete(caller: ImageCaller, id: string): Promise<void> {
    const image = await this.getOwned(caller, id, 'delete');
    if (image.protected) throw forbidden(`Image ${id} is protected and cannot be deleted.`);
    // An upload still in flight finds the image gone when it ends and discards its data.
    await this.cache?.delete(id).catch((err: unknown) => {
      this.log.warn({ err, imageId: id }, 'could not drop a deleted image from the image cache');
    });
    const deleted = { deleted: true, deleted_at: `${new Date().toISOString().slice(0, 19)}Z` };
    if (this.limits.delayedDelete) {
      await this.images.markDeleted(id, true);
      await this.notifier?.image('image.delete', { ...image, status: 'pending_delete' }, deleted);
      return;
    }
    await this.images.markDeleted(id);
    await this.notifier?.image('image.delete', { ...image, status: 'deleted' }, deleted);
    // Data a store fails to delete (or a store no longer configured) stays behind as an orphan;
    // the image is gone either way, as upstream's delete behaves.
    for (const l of image.locations) {
      try {
        await this.stores.get(l.store).delete(l.url);
      } catch (err) {
        this.log.warn({ err, imageId: id, store: l.store }, 'deleted image data left behind in its store');
      }
    }
  }

  async addTag(caller: ImageCaller, id: string, tag: string): Promise<void> {
    const image = await this.getOwned(caller, id);
    if (tag.length > 255) throw badRequest('Tag too long: tags are limited to 255 characters.');
    if (image.tags.includes(tag)) return;
    if (this.limits.tags >= 0 && image.tags.length + 1 > this.limits.tags)
      throw tooLarge(`Maximum number of tags exceeded by 1`);
    await this.images.update(id, { tags: [...image.tags, tag] });
    await this.announce('image.update', id);
  }

  async removeTag(caller: ImageCaller, id: string, tag: string): Promise<void> {
    const image = await this.getOwned(caller, id);
    if (!image.tags.includes(tag)) throw tagNotFound(tag);
    await this.images.update(id, { tags: image.tags.filter((t) => t !== tag) });
    await this.announce('image.update', id);
  }

  /** Deactivate or reactivate an image (admins and owners; only active and deactivated images). */
  async setActive(caller: ImageCaller, id: string, active: boolean): Promise<void> {
    const image = await this.getOwned(caller, id, active ? 'reactivate' : 'deactivate');
    if (image.status !== 'active' && image.status !== 'deactivated') {
      throw forbidden(
        `Not allowed to ${active ? 'reactivate' : 'deactivate'} image in status '${image.status}'`,
      );
    }
    await this.images.transition(id, ['active', 'deactivated'], active ? 'active' : 'deactivated');
    await this.announce('image.update', id);
  }

  private patchBase(caller: ImageCaller, image: ImageRecord, path: string, op: PatchOp): void {
    if (op.op === 'remove') throw forbidden(`Property ${path} may not be removed.`);
    const v = op.value;
    switch (path) {
      case 'name':
        if (v !== null && (typeof v !== 'string' || v.length > 255))
          throw badRequest(`Invalid value for 'name': ${JSON.stringify(v)}`);
        image.name = v as string | null;
        break;
      case 'visibility':
        if (typeof v !== 'string' || !['public', 'private', 'shared', 'community'].includes(v))
          throw badRequest(`Invalid visibility value: ${String(v)}`);
        this.checkVisibility(caller, v as ImageRecord['visibility']);
        image.visibility = v as ImageRecord['visibility'];
        break;
      case 'protected':
      case 'os_hidden':
        if (typeof v !== 'boolean')
          throw badRequest(`Invalid value for '${path}': ${JSON.stringify(v)} is not of type 'boolean'`);
        if (path === 'protected') image.protected = v;
        else image.osHidden = v;
        break;
      case 'owner':
        if (!caller.isAdmin) throw forbidden("Owner can't be updated by non admin.");
        image.owner = v === null ? null : String(v);
        break;
      case 'disk_format':
      case 'container_format': {
        const allowed = path === 'disk_format' ? DISK_FORMATS : CONTAINER_FORMATS;
        if (v !== null && (typeof v !== 'string' || !allowed.includes(v)))
          throw badRequest(`Invalid value for '${path}': ${JSON.stringify(v)}`);
        if (image.status !== 'queued')
          throw forbidden(`Attribute ${path} can be only replaced for a queued image.`);
        if (path === 'disk_format') image.diskFormat = v as string | null;
        else image.containerFormat = v as string | null;
        break;
      }
      case 'min_disk':
      case 'min_ram':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
          throw badRequest(`Invalid value for '${path}': ${JSON.stringify(v)}`);
        if (path === 'min_disk') image.minDisk = v;
        else image.minRam = v;
        break;
      case 'tags':
        if (!Array.isArray(v) || v.some((t) => typeof t !== 'string' || t.length > 255))
          throw badRequest(`Invalid value for 'tags': ${JSON.stringify(v)}`);
        image.tags = [...new Set(v as string[])];
        break;
    }
  }

  private patchProperty(caller: ImageCaller, image: ImageRecord, name: string, op: PatchOp): void {
    // A property the caller may not read does not exist for them.
    const exists = name in image.properties && this.canRead(caller, name);
    if (op.op === 'remove') {
      if (!exists) throw conflict(`Property ${name} does not exist.`);
      if (name.startsWith(RESERVED_PREFIX)) throw forbidden(`Attribute '${name}' is reserved.`);
      this.protect(caller, name, 'delete');
      delete image.properties[name];
      return;
    }
    if (op.op === 'replace' && !exists) throw conflict(`Property ${name} does not exist.`);
    image.properties[name] = this.propertyValue(name, op.value);
    this.protect(caller, name, exists ? 'update' : 'create');
  }

  /** 403 when property protections deny the operation. */
  private protect(caller: ImageCaller, name: string, op: PropertyOperation): void {
    if (this.protections && !this.protections.allows(name, op, caller))
      throw forbidden(`Attribute '${name}' is reserved.`);
  }

  /** Whether property protections let the caller see a property. */
  canRead(caller: ImageCaller, name: string): boolean {
    return !this.protections || this.protections.allows(name, 'read', caller);
  }

  /** The image as the caller may see it: properties they may not read left out. */
  asSeenBy(caller: ImageCaller, image: ImageRecord): ImageRecord {
    if (!this.protections) return image;
    const properties = Object.fromEntries(
      Object.entries(image.properties).filter(
        ([k]) => k.startsWith(RESERVED_PREFIX) || this.canRead(caller, k),
      ),
    );
    return { ...image, properties };
  }

  private propertyValue(name: string, value: unknown): string {
    if (name.startsWith(RESERVED_PREFIX)) throw forbidden(`Attribute '${name}' is reserved.`);
    if (name.length > 255) throw badRequest(`Property name too long: ${name.slice(0, 40)}...`);
    if (typeof value !== 'string')
      throw badRequest(
        `Invalid value for property '${name}': ${JSON.stringify(value)} is not of type 'string'`,
      );
    if (value.length > 65535) throw badRequest(`Property ${name} is too long.`);
    return value;
  }

  private checkPropertyCount(props: Record<string, string>): void {
    const n = Object.keys(props).length;
    if (this.limits.properties >= 0 && n > this.limits.properties)
      throw tooLarge(`Maximum number of properties exceeded by ${n - this.limits.properties}`);
  }

  private checkVisibility(caller: ImageCaller, visibility: ImageRecord['visibility']): void {
    if (!['public', 'private', 'shared', 'community'].includes(visibility))
      throw badRequest(`Invalid visibility value: ${visibility}`);
    if (visibility === 'public' && !caller.isAdmin)
      throw forbidden('You are not authorized to complete publicize_image action.');
  }

  private async visible(caller: ImageCaller, image: ImageRecord): Promise<boolean> {
    if (
      caller.isAdmin ||
      image.owner === caller.projectId ||
      image.visibility === 'public' ||
      image.visibility === 'community'
    )
      return true;
    if (image.visibility !== 'shared' || !caller.projectId) return false;
    return (await this.members.get(image.id, caller.projectId)) !== undefined;
  }
}
