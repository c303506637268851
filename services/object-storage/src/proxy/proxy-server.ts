import { errorResponse, type Handler, type Middleware, type SwiftRequest } from '../common/swift-http';
import { accountRequest } from './account-controller';
import { containerRequest } from './container-controller';
import { objectRequest } from './object-controller';
import type { ProxyContext } from './proxy-context';
import { parseSwiftPath } from './swift-path';

/** The last step of the pipeline: routes `/v1/...` to the account, container or object controller. */
export function proxyServer(ctx: ProxyContext): Handler {
  return async (req: SwiftRequest) => {
    const p = parseSwiftPath(req.path);
    if (!p) return errorResponse(404);
    if (!ctx.constraints.valid_api_versions.includes(p.version)) return errorResponse(400, 'Invalid path');
    if (p.object !== undefined) return objectRequest(ctx, req, p.account, p.container!, p.object);
    if (p.container !== undefined) return containerRequest(ctx, req, p.account, p.container);
    return accountRequest(ctx, req, p.account);
  };
}

/** Chains middleware around the app, outermost first; each may call `root()` for subrequests. */
export function buildPipeline(middleware: readonly Middleware[], app: Handler): Handler {
  let root: Handler = app;
  let handler = app;
  for (const m of [...middleware].reverse()) handler = m(handler, () => root);
  root = handler;
  return root;
}
