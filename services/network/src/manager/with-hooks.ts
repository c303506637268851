import type { CallContext } from '../api/call-context';
import type { ResourceHandlers } from '../api/resource-definition';
import type { Resource } from '../db/resource-store';

/** What runs after an API create or delete of a resource committed. */
export interface ResourceHooks {
  afterCreate?(created: Resource): Promise<void>;
  afterDelete?(deleted: Resource): Promise<void>;
}

/**
 * The handlers of a resource with hooks after create and delete (agent scheduling): every
 * other member is the manager's own, so the API keeps the manager's whole interface.
 */
export function withHooks<H extends ResourceHandlers>(handlers: H, hooks: ResourceHooks): H {
  const wrapped = Object.create(handlers) as H;
  wrapped.create = async (ctx: CallContext, item: Resource) => {
    const created = await handlers.create(ctx, item);
    await hooks.afterCreate?.(created);
    return created;
  };
  wrapped.delete = async (ctx: CallContext, current: Resource) => {
    await handlers.delete(ctx, current);
    await hooks.afterDelete?.(current);
  };
  return wrapped;
}
