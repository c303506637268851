import type { JsonSchema } from '@nimbus/http';
import { route, type Route } from '@nimbus/http';
import type { MemberRecord } from '../../db/repositories/member-repository';
import { glanceTime } from '../images/image-view';
import { authorizeImage, callerOf, type ImageRequest, imageTarget } from '../image-request';

function memberView(m: MemberRecord): Record<string, unknown> {
  return {
    image_id: m.imageId,
    member_id: m.member,
    status: m.status,
    created_at: glanceTime(m.createdAt),
    updated_at: glanceTime(m.updatedAt),
    schema: '/v2/schemas/member',
  };
}

const addBody: JsonSchema = {
  type: 'object',
  required: ['member'],
  properties: { member: { type: 'string', minLength: 1, maxLength: 255 } },
};
const statusBody: JsonSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
};

/**
 * Checks a member rule as Glance does: an image the caller may not get is 404 first, then the
 * rule itself is 403. `extra` overrides target keys (modify_member names the member).
 */
async function authorizeMember(req: ImageRequest, rule: string, extra: Record<string, unknown> = {}) {
  const image = await req.services.images.get(callerOf(req), req.params.image_id!);
  authorizeImage(req, 'get_image', image);
  req.authorize(rule, { ...imageTarget(req, image), ...extra });
}

/** `/v2/images/{id}/members`. */
export const memberRoutes: Route[] = [
  route(
    'POST',
    '/v2/images/:image_id/members',
    async (req: ImageRequest<{ member: string }>) => {
      await authorizeMember(req, 'add_member');
      return memberView(await req.services.members.add(callerOf(req), req.params.image_id!, req.body.member));
    },
    { body: addBody },
  ),
  route('GET', '/v2/images/:image_id/members', async (req: ImageRequest) => {
    await authorizeMember(req, 'get_members');
    return {
      members: (await req.services.members.list(callerOf(req), req.params.image_id!)).map(memberView),
      schema: '/v2/schemas/members',
    };
  }),
  route('GET', '/v2/images/:image_id/members/:member_id', async (req: ImageRequest) => {
    await authorizeMember(req, 'get_member');
    return memberView(
      await req.services.members.get(callerOf(req), req.params.image_id!, req.params.member_id!),
    );
  }),
  route(
    'PUT',
    '/v2/images/:image_id/members/:member_id',
    async (req: ImageRequest<{ status: string }>) => {
      await authorizeMember(req, 'modify_member', { member_id: req.params.member_id });
      return memberView(
        await req.services.members.setStatus(
          callerOf(req),
          req.params.image_id!,
          req.params.member_id!,
          req.body.status,
        ),
      );
    },
    { body: statusBody },
  ),
  route('DELETE', '/v2/images/:image_id/members/:member_id', async (req: ImageRequest) => {
    await authorizeMember(req, 'delete_member');
    await req.services.members.remove(callerOf(req), req.params.image_id!, req.params.member_id!);
  }),
];
