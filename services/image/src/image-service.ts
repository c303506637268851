import { resolve } from 'node:path';
import { webobFaults } from '@nimbus/http';
import { PolicyEnforcer, policyCheck } from '@nimbus/policy';
import { defineService } from '@nimbus/service';
import { imagePolicies } from './api/image-policies';
import { imageApiRoutes } from './api/routes';
import { imageOptions, importFilteringOptions } from './conf/options';
import { imageMigrations } from './db/migrations/index';
import { ImageRepository } from './db/repositories/image-repository';
import { MemberRepository } from './db/repositories/member-repository';
import { FileStore } from './drivers/store/file-store';
import { HashWorker } from './manager/hash-worker';
import { ImageData } from './manager/image-data';
import { ImageImport } from './manager/image-import';
import { ImageManager } from './manager/image-manager';
import { MemberManager } from './manager/member-manager';
import { MetadefManager } from './manager/metadef-manager';
import { MetadefRepository } from './db/repositories/metadef-repository';

/** The JSON-patch media types of image updates. */
const PATCH_TYPES = [
  'application/openstack-images-v2.1-json-patch',
  'application/openstack-images-v2.0-json-patch',
];

/**
 * Image (Glance v2): images and their data in the file store, tags, members, schemas and version
 * discovery. Its data never passes through memory whole: uploads stream to the store.
 */
export const imageService = defineService({
  type: 'image',
  name: 'glance',
  port: 9292,
  catalogPath: '',
  options: [imageOptions, importFilteringOptions],
  migrations: imageMigrations,
  async start(ctx) {
    const o = ctx.config.group(imageOptions);
    const filtering = ctx.config.group(importFilteringOptions);
    const images = new ImageRepository(ctx.db);
    const members = new MemberRepository(ctx.db);
    const store = new FileStore(
      o.filesystem_store_datadir ? resolve(o.filesystem_store_datadir) : resolve(ctx.dataDir, 'images'),
    );
    const manager = new ImageManager(images, members, store, {
      tags: o.image_tag_quota,
      properties: o.image_property_quota,
    });
    const hasher = new HashWorker();
    const data = new ImageData(
      manager,
      images,
      store,
      {
        imageSizeCap: o.image_size_cap,
        userStorageQuota: o.user_storage_quota,
        hashAlgorithm: o.hashing_algorithm,
      },
      hasher,
    );
    const enforcer = new PolicyEnforcer({ defaults: imagePolicies, logger: ctx.logger });
    return {
      http: {
        routes: imageApiRoutes,
        faults: webobFaults,
        policy: policyCheck(enforcer),
        jsonContentTypes: PATCH_TYPES,
        streamContentTypes: ['application/octet-stream'],
        services: {
          images: manager,
          data,
          imports: new ImageImport(
            manager,
            images,
            new FileStore(resolve(ctx.dataDir, 'image-staging')),
            data,
            store.id,
            ctx.logger,
            {
              allowedSchemes: filtering.allowed_schemes,
              allowedPorts: filtering.allowed_ports,
              disallowedHosts: filtering.disallowed_hosts,
              allowPrivateNetworks: filtering.allow_private_networks,
            },
          ),
          members: new MemberManager(members, manager, o.image_member_quota),
          metadefs: new MetadefManager(new MetadefRepository(ctx.db)),
          listLimits: { default: o.limit_param_default, max: o.api_limit_max },
          storageQuota: o.user_storage_quota,
        },
      },
      stop: () => hasher.close(),
    };
  },
});
