import type { ApiRequest } from '@nimbus/http';
import type { SignedOAuthRequest } from '../manager/ext/oauth1-manager';
import { parseOAuthHeader } from '../manager/ext/oauth1-signature';

/**
 * The request as an OAuth1 client signed it: its method, the URL it was sent to (this endpoint's
 * base URL, path and query string) and the `oauth_*` parameters of its Authorization header.
 */
export function signedOAuthRequest(req: ApiRequest): SignedOAuthRequest {
  const header = req.headers.authorization;
  return {
    method: req.method,
    uri: `${req.baseUrl}${req.url}`,
    params: parseOAuthHeader(typeof header === 'string' ? header : undefined),
  };
}
