import { resolve } from 'node:path';
import { messagingDefaultOptions, notificationOptions, notifierOptionsFromConfig } from '@nimbus/bus';
import { webobFaults } from '@nimbus/http';
import { loadServicePolicy, osloPolicyOptions } from '@nimbus/policy';
import { defineService, HashThreads, type RoleContext, type StartedRole } from '@nimbus/service';
import { imagePolicies } from './api/image-policies';
import { ListCache } from './api/images/list-cache';
import { imageApiRoutes } from './api/routes';
import { glanceHeaderSpelling } from './api/glance-header-spelling';
import { CachePrefetcher } from './cache/cache-prefetcher';
import { ImageCache } from './cache/image-cache';
import {
  glanceDownloadOptions,
  imageConversionOptions,
  imageFormatOptions,
  imageOptions,
  importFilteringOptions,
  importPluginOptions,
  injectMetadataOptions,
} from './conf/options';
import { imageNotificationOptions } from './conf/notification-options';
import { imageMigrations } from './db/migrations/index';
import { ImageRepository, STAGING_STORE } from './db/repositories/image-repository';
import { MemberRepository } from './db/repositories/member-repository';
import { MetadefRepository } from './db/repositories/metadef-repository';
import { TaskRepository } from './db/repositories/task-repository';
import { buildStores } from './drivers/store/build-stores';
import { ImageData } from './manager/image-data';
import { ImageImport } from './manager/image-import';
import { ImageManager } from './manager/image-manager';
import { ImageNotifier } from './manager/image-notifier';
import { ImageQuotas } from './manager/image-quotas';
import { ImageScrubber } from './manager/image-scrubber';
import { importPlugins } from './manager/import-plugins/plugin-registry';
import { LegacyImportTasks } from './manager/legacy-import-tasks';
import { MemberManager } from './manager/member-manager';
import { MetadefManager } from './manager/metadef-manager';
import { PropertyProtections } from './manager/property-protections';
import { RemoteImageSource } from './manager/remote-image';
import { TaskManager } from './manager/task-manager';
import { swiftStoreClients } from './swift-store-clients';

/** The JSON-patch media types of image updates. */
const PATCH_TYPES = [
  'application/openstack-images-v2.1-json-patch',
  'application/openstack-images-v2.0-json-patch',
];

/** What the roles of the image service share in one process. */
interface ImageShared {
  images: ImageRepository;
  stores: ReturnType<typeof buildStores>;
}

/**
 * Image (Glance v2): images and their data in the file store, tags, members, schemas and version
 * discovery. Its data never passes through memory whole: uploads stream to the store. Roles: the
 * API (glance-api, with the cache prefetcher) and the scrubber (glance-scrubber).
 */
export const imageService = defineService<ImageShared>({
  id: 'image',
  type: 'image',
  name: 'glance',
  options: [
    imageOptions,
    importFilteringOptions,
    glanceDownloadOptions,
    importPluginOptions,
    imageConversionOptions,
    injectMetadataOptions,
    imageFormatOptions,
    imageNotificationOptions,
    osloPolicyOptions,
  ],
  migrations: imageMigrations,
  async setup(ctx) {
    const o = ctx.config.group(imageOptions);
    const objectStore = swiftStoreClients(ctx.clients, o, ctx.dataDir).objectStore;
    const stores = buildStores(o, ctx.dataDir, STAGING_STORE, () => objectStore);
    return { images: new ImageRepository(ctx.db), stores };
  },
  roles: [
    {
      name: 'api',
      description:
        'The Glance v2 API (glance-api), with the image cache prefetcher and the purge of expired tasks.',
      http: { port: 9292, catalogPath: '' },
      periodic: [
        // Finished tasks disappear task_time_to_live hours after they end.
        { name: 'task-purge', intervalSeconds: 3600 },
        {
          name: 'cache-prefetcher',
          intervalSeconds: (config) => config.group(imageOptions).cache_prefetcher_interval,
          enabled: (config) => Boolean(config.group(imageOptions).image_cache_dir),
        },
      ],
      start: startImageApi,
    },
    {
      name: 'scrubber',
      description: 'Deletes the data of images left in pending_delete by delayed_delete (glance-scrubber).',
      periodic: [
        {
          name: 'image-scrubber',
          intervalSeconds: (config) => config.group(imageOptions).wakeup_time,
          enabled: (config) => config.group(imageOptions).delayed_delete,
        },
      ],
      async start(ctx) {
        const o = ctx.config.group(imageOptions);
        const scrubber = new ImageScrubber(ctx.shared.images, ctx.shared.stores, ctx.logger, o.scrub_time);
        return { periodic: { 'image-scrubber': () => scrubber.scrub() } };
      },
    },
  ],
});

/** Glance's notifier: `[image] default_publisher_id` on the `glance` control exchange. */
function imageNotifier(ctx: RoleContext<ImageShared>): ImageNotifier {
  const o = ctx.config.group(imageNotificationOptions);
  const notifier = ctx.bus.notifier(
    o.default_publisher_id,
    notifierOptionsFromConfig(
      ctx.config.group(notificationOptions),
      ctx.config.group(messagingDefaultOptions).control_exchange,
      'glance',
    ),
  );
  return new ImageNotifier(notifier, o.disabled_notifications, ctx.logger);
}

/** The image API role: the manager, data path, imports, cache and their routes. */
async function startImageApi(ctx: RoleContext<ImageShared>): Promise<StartedRole> {
  const o = ctx.config.group(imageOptions);
  const filtering = ctx.config.group(importFilteringOptions);
  const urlPolicy = {
    allowedSchemes: filtering.allowed_schemes,
    allowedPorts: filtering.allowed_ports,
    disallowedHosts: filtering.disallowed_hosts,
    allowPrivateNetworks: filtering.allow_private_networks,
  };
  const { images, stores } = ctx.shared;
  const { clients } = ctx;
  const members = new MemberRepository(ctx.db);
  // Unified limits, read as the service from identity with a system-scoped token.
  const quotas = new ImageQuotas(
    images,
    o.use_keystone_limits
      ? async (projectId, resources) =>
          clients.identity.limitsFor(projectId, await clients.serviceId('image'), resources)
      : undefined,
  );
  const tasks = new TaskRepository(ctx.db);
  const cache = o.image_cache_dir
    ? new ImageCache(resolve(ctx.dataDir, o.image_cache_dir), {
        maxBytes: o.image_cache_max_size,
        stallSeconds: o.image_cache_stall_time,
      })
    : undefined;
  await cache?.init();
  const enforcer = loadServicePolicy({
    serviceType: 'image',
    defaults: imagePolicies,
    config: ctx.config,
    dataDir: ctx.dataDir,
    logger: ctx.logger,
  });
  const protections = o.property_protection_file
    ? PropertyProtections.load(
        resolve(ctx.dataDir, o.property_protection_file),
        o.property_protection_rule_format as 'roles' | 'policies',
        (rule, caller) =>
          enforcer.evaluate(`rule:${rule}`, {}, { roles: caller.roles ?? [], project_id: caller.projectId }),
      )
    : undefined;
  const notifier = imageNotifier(ctx);
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
    quotas,
    notifier,
    ctx.logger,
  );
  const hasher = new HashThreads();
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
    quotas,
    notifier,
  );
  const prefetcher = cache && new CachePrefetcher(cache, (id) => data.cacheImage(id), ctx.logger);
  return {
    http: {
      routes: imageApiRoutes,
      faults: webobFaults,
      headerSpelling: glanceHeaderSpelling,
      policy: enforcer,
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
          new RemoteImageSource(clients, ctx.config.group(glanceDownloadOptions).extra_properties),
          ctx.logger,
          urlPolicy,
          o.task_time_to_live,
          importPlugins(ctx.config.group(importPluginOptions).image_import_plugins, {
            outputFormat: ctx.config.group(imageConversionOptions).output_format,
            vmdkAllowedTypes: ctx.config.group(imageFormatOptions).vmdk_allowed_types,
            inject: ctx.config.group(injectMetadataOptions).inject,
            ignoreRoles: ctx.config.group(injectMetadataOptions).ignore_user_roles,
          }),
          quotas,
        ),
        legacyImports: new LegacyImportTasks(
          manager,
          images,
          tasks,
          stores,
          data,
          ctx.logger,
          urlPolicy,
          o.task_time_to_live,
        ),
        tasks: new TaskManager(tasks, manager, { default: o.limit_param_default, max: o.api_limit_max }),
        stores,
        ...(cache && prefetcher ? { cache: { cache, prefetcher } } : {}),
        members: new MemberManager(members, manager, o.image_member_quota, notifier),
        metadefs: new MetadefManager(new MetadefRepository(ctx.db)),
        listLimits: { default: o.limit_param_default, max: o.api_limit_max },
        quotas,
        listCache: new ListCache(() => images.generation.current()),
      },
    },
    periodic: {
      'task-purge': () => tasks.purgeExpired(),
      ...(prefetcher ? { 'cache-prefetcher': () => prefetcher.kick() } : {}),
    },
    async stop() {
      enforcer.close();
      await prefetcher?.stop();
      await hasher.close();
    },
  };
}
