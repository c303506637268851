import type { TokenValidator } from '@nimbus/auth';
import type { GroupValues } from '@nimbus/config';
import type { Logger } from '@nimbus/logging';
import type { Middleware } from '../common/swift-http';
import type { authOptions } from '../conf/options';
import type { ProxyContext } from '../proxy/proxy-context';
import { bulk, bulkDeleteInfo, bulkUploadInfo } from './bulk';
import { containerSync, parseRealms, syncInfo } from './container-sync';
import { crossdomain } from './crossdomain';
import { dloInfo, dynamicLargeObject } from './dynamic-large-object';
import { formPost } from './form-post';
import { type Capabilities, infoEndpoint } from './info';
import { keystoneAuth } from './keystone-auth';
import { accountQuotas, containerQuotas } from './quotas';
import { serverSideCopy } from './server-side-copy';
import { sloInfo, staticLargeObject } from './static-large-object';
import { staticWeb } from './static-web';
import { tempAuth } from './temp-auth';
import { type S3TokenIssuer, s3Api } from './s3api/s3-api';
import { symlink, symlinkInfo } from './symlink';
import { tempUrl, tempUrlInfo } from './temp-url';
import { versionedWrites } from './versioned-writes';

export interface MiddlewareInput {
  ctx: ProxyContext;
  validator: TokenValidator;
  auth: GroupValues<typeof authOptions>;
  /** Identity's client, for S3 signature checks (s3tokens). */
  identity: S3TokenIssuer;
  log: Logger;
}

/** The proxy pipeline, outermost first, in upstream's usual order; `/info` lists what is on. */
export function buildMiddleware(input: MiddlewareInput): Middleware[] {
  const { ctx, auth, log } = input;
  const realms = parseRealms(auth.container_sync_realms);
  const capabilities: Capabilities = {
    bulk_delete: bulkDeleteInfo,
    bulk_upload: bulkUploadInfo,
    tempurl: tempUrlInfo,
    formpost: {},
    crossdomain: {},
    staticweb: {},
    account_quotas: {},
    container_quotas: {},
    slo: sloInfo,
    dlo: dloInfo,
    versioned_writes: { allowed_flags: ['x-versions-location', 'x-history-location'] },
    keystoneauth: {},
    container_sync: syncInfo(realms),
    symlink: symlinkInfo,
    s3api: {
      max_bucket_listing: 1000,
      max_parts_listing: 1000,
      max_upload_part_num: 10_000,
      max_multi_delete_objects: 1000,
      s3_acl: false,
      allow_multipart_uploads: true,
      min_segment_size: 1,
      signature_versions: ['v4'],
    },
    ...(auth.tempauth_users.length ? { tempauth: { account_acls: true } } : {}),
  };
  return [
    infoEndpoint(ctx.constraints, () => capabilities),
    crossdomain(),
    containerSync(ctx.info, realms),
    bulk(),
    tempUrl(ctx.info),
    formPost(ctx.info),
    ...(auth.tempauth_users.length
      ? [tempAuth(auth.tempauth_users, auth.reseller_prefix, auth.tempauth_token_life, log)]
      : []),
    s3Api(input.identity, input.validator, log),
    keystoneAuth(
      input.validator,
      {
        resellerPrefix: auth.reseller_prefix,
        operatorRoles: auth.operator_roles,
        resellerAdminRole: auth.reseller_admin_role,
      },
      log,
    ),
    staticWeb(ctx.info),
    serverSideCopy(),
    containerQuotas(ctx.info),
    accountQuotas(ctx.info),
    staticLargeObject(),
    dynamicLargeObject(),
    versionedWrites(ctx.info),
    symlink(),
  ];
}
