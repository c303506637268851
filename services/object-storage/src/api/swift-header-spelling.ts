import { type HeaderSpelling, titleCaseSpelling } from '@nimbus/http';

const titleCase = titleCaseSpelling();

/**
 * Swift writes every response header name title-cased (its HeaderKeyDict applies Python's
 * `title()` to each name): `Etag`, `X-Trans-Id`, `X-Openstack-Request-Id`, and user metadata as
 * `X-Object-Meta-K1`. Clients find metadata by that exact prefix. Its S3 layer keeps AWS's
 * spellings instead: `x-amz-*` names in lower case (boto3 takes metadata keys from them) and
 * `ETag`, which the S3 layer writes so.
 */
export const swiftHeaderSpelling: HeaderSpelling = (name) =>
  name.startsWith('x-amz-') || name === 'ETag' ? name : titleCase(name);
