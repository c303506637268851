import { titleCaseSpelling } from '@nimbus/http';

/**
 * Swift writes every response header name title-cased (its HeaderKeyDict applies Python's
 * `title()` to each name): `Etag`, `X-Trans-Id`, `X-Openstack-Request-Id`, and user metadata as
 * `X-Object-Meta-K1`. Clients find metadata by that exact prefix.
 */
export const swiftHeaderSpelling = titleCaseSpelling();
