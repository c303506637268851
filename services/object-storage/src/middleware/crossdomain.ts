import { type Middleware, response } from '../common/swift-http';

const DEFAULT_POLICY = '<allow-access-from domain="*" secure="false" />';

/** `/crossdomain.xml`: the Flash cross-domain policy (upstream's `crossdomain` middleware). */
export function crossdomain(policy = DEFAULT_POLICY): Middleware {
  return (next) => async (req) => {
    if (req.path !== '/crossdomain.xml' || (req.method !== 'GET' && req.method !== 'HEAD')) return next(req);
    const body = `<?xml version="1.0"?>\n<!DOCTYPE cross-domain-policy SYSTEM "http://www.adobe.com/xml/dtds/cross-domain-policy.dtd" >\n<cross-domain-policy>\n${policy}\n</cross-domain-policy>`;
    return response(200, body, { 'content-type': 'application/xml; charset=utf-8' });
  };
}
