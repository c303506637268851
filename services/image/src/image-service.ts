import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ObjectStoreClient, Session } from '@nimbus/clients';
import { parse } from 'yaml';
import { webobFaults } from '@nimbus/http';
import { PolicyEnforcer, policyCheck } from '@nimbus/policy';
import { defineService } from '@nimbus/service';
import { imagePolicies } from './api/image-policies';
import { imageApiRoutes } from './api/routes';
import {
  glanceDownloadOptions,
  imageConversionOptions,
  imageFormatOptions,
  imageOptions,
  importFilteringOptions,
  importPluginOptions,
  injectMetadataOptions,
} from './conf/options';
import { importPlugins } from './manager/import-plugins/plugin-registry';
import { imageMigrations } from './db/migrations/index';
import { ImageRepository } from './db/repositories/image-repository';
import { MemberRepository } from './db/repositories/member-repository';
import { FileStore } from './drivers/store/file-store';
import { ImageStores } from './drivers/store/image-stores';
import type { ImageStore } from './drivers/store/store-api';
import { SwiftStore } from './drivers/store/swift-store';
import { STAGING_STORE } from './db/repositories/image-repository';
import { TaskRepository } from './db/repositories/task-repository';
import { RemoteImageSource } from './manager/remote-image';
import { TaskManager } from './manager/task-manager';
import { ImageScrubber } from './manager/image-scrubber';
import { PropertyProtections } from './manager/property-protections';
import { ImageCache } from './cache/image-cache';
import { CachePrefetcher } from './cache/cache-prefetcher';
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
  options: [
    imageOptions,
    importFilteringOptions,
    glanceDownloadOptions,
    importPluginOptions,
    imageConversionOptions,
    injectMetadataOptions,
    imageFormatOptions,
  ],
  migrations: imageMigrations,
  async start(ctx) {
    const o = ctx.config.group(imageOptions);
    const filtering = ctx.config.group(importFilteringOptions);
    const images = new ImageRepository(ctx.db);
    const members = new MemberRepository(ctx.db);
    let identityUrl = o.swift_store_auth_address || undefined;
    const objectStore = lazyObjectStoreClient(() => {
      if (!identityUrl) throw new Error('the swift store needs the identity service');
      const [projectName, username] = o.swift_store_user.includes(':')
        ? o.swift_store_user.split(':', 2)
        : ['service', o.swift_store_user];
      return new Session({
        authUrl: identityUrl,
        auth: {
          kind: 'password',
          username: username!,
          password: o.swift_store_key || bootstrapPassword(ctx.dataDir, username!),
          userDomainName: 'Default',
          projectName: projectName!,
          projectDomainName: 'Default',
        },
      });
    });
    const stores = new ImageStores(
      o.enabled_backends.map((entry): ImageStore => {
        const [id, type] = entry.split(':').map((p) => p.trim());
        if (!id || (type !== 'file' && type !== 'swift'))
          throw new Error(`[image] enabled_backends: '${entry}' is not id:file or id:swift`);
        if (type === 'swift')
          return new SwiftStore(id, objectStore(), {
            container: o.swift_store_container,
            chunkSize: o.swift_store_large_object_chunk_size * 1024 * 1024,
          });
        const dir =
          id === 'file' && o.filesystem_store_datadir
            ? o.filesystem_store_datadir
            : join(ctx.dataDir, id === 'file' ? 'images' : `images-${id}`);
        return new FileStore(id, resolve(dir));
      }),
      o.default_backend,
      new FileStore(STAGING_STORE, resolve(ctx.dataDir, 'image-staging')),
    );
    const tasks = new TaskRepository(ctx.db);
    const cache = o.image_cache_dir
      ? new ImageCache(resolve(ctx.dataDir, o.image_cache_dir), {
          maxBytes: o.image_cache_max_size,
          stallSeconds: o.image_cache_stall_time,
        })
      : undefined;
    await cache?.init();
    const enforcer = new PolicyEnforcer({ defaults: imagePolicies, logger: ctx.logger });
    const protections = o.property_protection_file
      ? PropertyProtections.load(
          resolve(ctx.dataDir, o.property_protection_file),
          o.property_protection_rule_format as 'roles' | 'policies',
          (rule, caller) =>
            enforcer.evaluate(
              `rule:${rule}`,
              {},
              { roles: caller.roles ?? [], project_id: caller.projectId },
            ),
        )
      : undefined;
    const manager = new ImageManager(
      images,
      members,
      stores,
      {
        tags: o.image_tag_quota,
        properties: o.image_property_quota,
        delayedDelete: o.delayed_delete,
      },
      cache,
      protections,
    );
    const hasher = new HashWorker();
    const data = new ImageData(
      manager,
      images,
      stores,
      {
        imageSizeCap: o.image_size_cap,
        userStorageQuota: o.user_storage_quota,
        hashAlgorithm: o.hashing_algorithm,
      },
      hasher,
      cache,
    );
    const prefetcher =
      cache &&
      new CachePrefetcher(cache, (id) => data.cacheImage(id), ctx.logger, o.cache_prefetcher_interval);
    // Finished tasks disappear task_time_to_live hours after they end.
    const purge = setInterval(() => void tasks.purgeExpired().catch(() => undefined), 3_600_000);
    purge.unref();
    // The scrubber runs wherever delayed deletes can be left for it.
    const scrubber = o.delayed_delete
      ? new ImageScrubber(images, stores, ctx.logger, o.scrub_time, o.wakeup_time)
      : undefined;
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
            tasks,
            stores,
            data,
            new RemoteImageSource(
              () => identityUrl,
              ctx.config.group(glanceDownloadOptions).extra_properties,
            ),
            ctx.logger,
            {
              allowedSchemes: filtering.allowed_schemes,
              allowedPorts: filtering.allowed_ports,
              disallowedHosts: filtering.disallowed_hosts,
              allowPrivateNetworks: filtering.allow_private_networks,
            },
            o.task_time_to_live,
            importPlugins(ctx.config.group(importPluginOptions).image_import_plugins, {
              outputFormat: ctx.config.group(imageConversionOptions).output_format,
              vmdkAllowedTypes: ctx.config.group(imageFormatOptions).vmdk_allowed_types,
              inject: ctx.config.group(injectMetadataOptions).inject,
              ignoreRoles: ctx.config.group(injectMetadataOptions).ignore_user_roles,
            }),
          ),
          tasks: new TaskManager(tasks, manager, { default: o.limit_param_default, max: o.api_limit_max }),
          stores,
          ...(cache && prefetcher ? { cache: { cache, prefetcher } } : {}),
          members: new MemberManager(members, manager, o.image_member_quota),
          metadefs: new MetadefManager(new MetadefRepository(ctx.db)),
          listLimits: { default: o.limit_param_default, max: o.api_limit_max },
          storageQuota: o.user_storage_quota,
        },
      },
      async cloudReady(endpoints) {
        identityUrl ??= endpoints.find((e) => e.type === 'identity')?.catalogUrl;
      },
      async stop() {
        clearInterval(purge);
        await prefetcher?.stop();
        await scrubber?.stop();
        await hasher.close();
      },
    };
  },
});

/** The password identity's bootstrap gave a service user (`<data_dir>/service-users.yaml`). */
function bootstrapPassword(dataDir: string, user: string): string {
  try {
    const users = parse(readFileSync(join(dataDir, 'service-users.yaml'), 'utf8')) as Record<string, string>;
    if (users?.[user]) return users[user];
  } catch {
    // no bootstrap file: fall through
  }
  throw new Error(`no password for ${user}: set [image] swift_store_key`);
}

/** An object-store client made on first use, once identity is up (a session authenticates lazily). */
function lazyObjectStoreClient(session: () => Session): () => ObjectStoreClient {
  let current: Session | undefined;
  const get = () => {
    current ??= session();
    return current;
  };
  const source = {
    endpoint: () => get().endpoint('object-store'),
    token: () => get().token(),
    invalidate: () => current?.invalidate(),
  };
  const client = new ObjectStoreClient(source);
  return () => client;
}
