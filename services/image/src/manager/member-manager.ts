import { NotFoundError } from '@nimbus/errors';
import type { MemberRecord, MemberRepository } from '../db/repositories/member-repository';
import type { ImageCaller } from './image-caller';
import { badRequest, conflict, forbidden, tooLarge } from './image-errors';
import type { ImageManager } from './image-manager';
import type { ImageNotifier } from './image-notifier';

const memberNotFound = (imageId: string, member: string) =>
  new NotFoundError(`${member} not found in the member list of the image ${imageId}.`, {
    code: 'IMAGE_MEMBER_NOT_FOUND',
  });

/**
 * Image members: the owner shares a `shared` image with projects; each member accepts or
 * rejects it (only the member may), which decides whether it shows in their default list.
 */
export class MemberManager {
  constructor(
    private readonly members: MemberRepository,
    private readonly images: ImageManager,
    private readonly quota: number,
    /** Announces `image.member.create|update|delete`, as Glance does. */
    private readonly notifier?: ImageNotifier,
  ) {}

  async add(caller: ImageCaller, imageId: string, member: string): Promise<MemberRecord> {
    const image = await this.images.getOwned(caller, imageId, 'create members of');
    if (image.visibility !== 'shared') throw forbidden(`Only shared images have members.`);
    if (await this.members.get(imageId, member))
      throw conflict(`${member} already associated with image ${imageId}.`);
    if (this.quota >= 0 && (await this.members.list({ imageId })).length + 1 > this.quota)
      throw tooLarge(`Maximum number of image members exceeded by 1`);
    const created = await this.members.create(imageId, member);
    await this.notifier?.member('image.member.create', created);
    return created;
  }

  /** Members of an image: all of them for its owner, the caller's own membership for a member. */
  async list(caller: ImageCaller, imageId: string): Promise<MemberRecord[]> {
    const image = await this.images.get(caller, imageId);
    if (image.visibility !== 'shared') throw forbidden(`Only shared images have members.`);
    const all = await this.members.list({ imageId });
    if (caller.isAdmin || image.owner === caller.projectId) return all;
    return all.filter((m) => m.member === caller.projectId);
  }

  async get(caller: ImageCaller, imageId: string, member: string): Promise<MemberRecord> {
    const image = await this.images.get(caller, imageId);
    const m = await this.members.get(imageId, member);
    if (!m || (!caller.isAdmin && image.owner !== caller.projectId && member !== caller.projectId))
      throw memberNotFound(imageId, member);
    return m;
  }

  async setStatus(
    caller: ImageCaller,
    imageId: string,
    member: string,
    status: string,
  ): Promise<MemberRecord> {
    await this.images.get(caller, imageId);
    const m = await this.members.get(imageId, member);
    if (!m) throw memberNotFound(imageId, member);
    // As Glance: the member itself sets its status, and an admin context may set anyone's.
    if (!caller.isAdmin && member !== caller.projectId)
      throw forbidden(`You are not permitted to modify 'status' on this image member.`);
    if (!['pending', 'accepted', 'rejected'].includes(status))
      throw badRequest(`Status must be "pending", "accepted" or "rejected".`);
    await this.members.setStatus(imageId, member, status as MemberRecord['status']);
    const updated = (await this.members.get(imageId, member))!;
    await this.notifier?.member('image.member.update', updated);
    return updated;
  }

  async remove(caller: ImageCaller, imageId: string, member: string): Promise<void> {
    await this.images.getOwned(caller, imageId, 'delete members of');
    const existing = await this.members.get(imageId, member);
    if (!existing) throw memberNotFound(imageId, member);
    await this.members.delete(imageId, member);
    await this.notifier?.member('image.member.delete', existing, {
      deleted: true,
      deleted_at: `${new Date().toISOString().slice(0, 19)}Z`,
    });
  }
}
