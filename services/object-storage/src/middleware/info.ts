import type { Constraints } from '../common/constraints';
import { errorResponse, type Middleware, response } from '../common/swift-http';

/** Each enabled middleware's entry in `/info`, by name. */
export type Capabilities = Record<string, Record<string, unknown>>;

/** `GET /info`: the cluster's version, limits and enabled features, as clients discover them. */
export function infoEndpoint(constraints: Constraints, capabilities: () => Capabilities): Middleware {
  return (next) => async (req) => {
    if (req.path !== '/info') return next(req);
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS')
      return errorResponse(405, undefined, { allow: 'GET, HEAD, OPTIONS' });
    const body = {
      swift: {
        version: '2.30.0',
        ...constraints,
        policies: [{ name: 'Policy-0', aliases: 'Policy-0', default: true }],
      },
      ...capabilities(),
    };
    return response(200, JSON.stringify(body), { 'content-type': 'application/json; charset=UTF-8' });
  };
}
