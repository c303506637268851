import type { CallContext } from '../api/call-context';
import type { ResourceHandlers } from '../api/resource-definition';
import type { Resource } from '../db/resource-store';
import type { TrunkManager } from './trunk-manager';

/** Port handlers that refuse deleting a trunk's parent port or a subport (409). */
export function withTrunkPortGuard<H extends ResourceHandlers>(ports: H, trunks: TrunkManager): H {
  const wrapped = Object.create(ports) as H;
  wrapped.delete = async (ctx: CallContext, current: Resource) => {
    const refusal = await trunks.portUse(current.id as string);
    if (refusal) throw refusal;
    await ports.delete(ctx, current);
  };
  return wrapped;
}
