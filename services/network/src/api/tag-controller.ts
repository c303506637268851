import { type ApiRequest, type Route, respond, route } from '@nimbus/http';
import { invalidInput, NeutronError } from '../manager/network-errors';
import type { NetworkServices } from './network-services';
import { contextOf, visible } from './resource-access';
import type { ResourceDefinition, ResourceHandlers } from './resource-definition';

type Req = ApiRequest<unknown, NetworkServices>;

/** Tags are strings of at most 255 characters (the tagging extension). */
const MAX_TAG_LENGTH = 255;

function validateTag(tag: unknown): string {
  if (typeof tag !== 'string') throw invalidInput(`'${JSON.stringify(tag)}' is not a valid string`);
  if (tag.length > MAX_TAG_LENGTH) throw invalidInput(`'${tag}' exceeds maximum length of ${MAX_TAG_LENGTH}`);
  return tag;
}

function validateTags(body: unknown): string[] {
  const tags = (body as { tags?: unknown } | undefined)?.tags;
  if (!body || typeof body !== 'object' || !Array.isArray(tags)) throw invalidInput('Invalid tags body');
  tags.forEach(validateTag);
  if (new Set(tags).size !== tags.length)
    throw invalidInput(`Duplicate items in the list: '${tags.join(', ')}'`);
  return tags as string[];
}

const tagNotFound = (tag: string) =>
  new NeutronError('not_found', 'TagNotFound', `Tag ${tag} could not be found.`);

/**
 * The tags API of a resource (`/v2.0/networks/{id}/tags[/{tag}]`): list, replace all, remove
 * all, check one, add one, remove one. Tags follow the parent's visibility; each change bumps
 * the parent's revision.
 */
export function tagRoutes(
  def: ResourceDefinition,
  base: string,
  handlersOf: (req: Req) => ResourceHandlers,
): Route[] {
  const parent = async (req: Req) => {
    const ctx = contextOf(req);
    const handlers = handlersOf(req);
    return { ctx, handlers, item: await visible(ctx, def, handlers, req.params.id!) };
  };
  return [
    route('GET', `${base}/:id/tags`, async (req: Req) => ({ tags: (await parent(req)).item.tags })),
    route('PUT', `${base}/:id/tags`, async (req: Req) => {
      const tags = validateTags(req.body);
      const { ctx, handlers, item } = await parent(req);
      await handlers.setTags(ctx, item, tags);
      return { tags };
    }),
    route('DELETE', `${base}/:id/tags`, async (req: Req) => {
      const { ctx, handlers, item } = await parent(req);
      await handlers.setTags(ctx, item, []);
      return undefined;
    }),
    route('GET', `${base}/:id/tags/:tag`, async (req: Req) => {
      const tag = validateTag(req.params.tag);
      const { item } = await parent(req);
      if (!(item.tags as string[]).includes(tag)) throw tagNotFound(tag);
      return undefined;
    }),
    route('PUT', `${base}/:id/tags/:tag`, async (req: Req) => {
      const tag = validateTag(req.params.tag);
      const { ctx, handlers, item } = await parent(req);
      const tags = item.tags as string[];
      if (!tags.includes(tag)) await handlers.setTags(ctx, item, [...tags, tag]);
      return respond(201, undefined);
    }),
    route('DELETE', `${base}/:id/tags/:tag`, async (req: Req) => {
      const tag = validateTag(req.params.tag);
      const { ctx, handlers, item } = await parent(req);
      const tags = item.tags as string[];
      if (!tags.includes(tag)) throw tagNotFound(tag);
      await handlers.setTags(
        ctx,
        item,
        tags.filter((t) => t !== tag),
      );
      return undefined;
    }),
  ];
}
