import { defineOptions, opt } from '@nimbus/config';

/** Glance's `[DEFAULT]` image options, under `[image]`. */
export const imageOptions = defineOptions('image', 'Image service (Glance v2).', {
  image_size_cap: opt.int({
    default: 1_099_511_627_776,
    min: 1,
    help: 'Largest image accepted, in bytes (1 TiB as upstream).',
  }),
  limit_param_default: opt.int({
    default: 25,
    min: 1,
    help: 'Images a list returns when the request names no limit.',
  }),
  api_limit_max: opt.int({ default: 1000, min: 1, help: 'Most images a list returns.' }),
  user_storage_quota: opt.int({
    default: 0,
    min: 0,
    help: 'Bytes of image data a project may store (0: no limit).',
  }),
  image_member_quota: opt.int({ default: 128, min: -1, help: 'Members an image may have (-1: no limit).' }),
  image_tag_quota: opt.int({ default: 128, min: -1, help: 'Tags an image may have (-1: no limit).' }),
  image_property_quota: opt.int({
    default: 128,
    min: -1,
    help: 'Additional properties an image may have (-1: no limit).',
  }),
  hashing_algorithm: opt.enum({
    choices: ['sha512', 'sha384', 'sha256', 'sha224', 'sha1', 'md5'],
    default: 'sha512',
    help: 'Algorithm of os_hash_value.',
  }),
  filesystem_store_datadir: opt.string({
    default: '',
    help: "Directory of the store with id 'file'; default <data_dir>/images. Other file stores keep <data_dir>/images-<id>.",
  }),
  enabled_backends: opt.list({
    default: ['file:file'],
    help: "The stores, as id:type pairs (types: file, swift), e.g. 'fast:file, objects:swift'.",
  }),
  default_backend: opt.string({
    default: 'file',
    help: 'The store uploads and imports use when none is named.',
  }),
  swift_store_container: opt.string({ default: 'glance', help: 'Container of the swift stores.' }),
  swift_store_large_object_chunk_size: opt.int({
    default: 200,
    min: 1,
    help: 'MiB per segment of an image in a swift store.',
  }),
  swift_store_auth_address: opt.string({
    default: '',
    help: "Identity v3 URL the swift stores authenticate at; default this cloud's identity.",
  }),
  swift_store_user: opt.string({
    default: 'service:glance',
    help: 'project:user the swift stores authenticate as (domain Default).',
  }),
  swift_store_key: opt.string({
    default: '',
    help: "That user's password; default the one this cloud's bootstrap gave the glance user.",
  }),
  image_cache_dir: opt.string({
    default: '',
    help: 'Directory of the image cache of this node (relative: under the data directory); empty: no cache.',
  }),
  image_cache_max_size: opt.int({
    default: 10 * 1024 ** 3,
    min: 0,
    help: 'Bytes the image cache may hold before the least recently used images go.',
  }),
  image_cache_stall_time: opt.int({
    default: 86400,
    min: 1,
    help: 'Seconds after which a partial cache file is considered dead and removed.',
  }),
  cache_prefetcher_interval: opt.int({
    default: 300,
    min: 1,
    help: 'Seconds between passes of the cache prefetcher over the queue.',
  }),
  property_protection_file: opt.string({
    default: '',
    help: 'File of property protection rules (relative: under the data directory); empty: none.',
  }),
  property_protection_rule_format: opt.enum({
    choices: ['roles', 'policies'],
    default: 'roles',
    help: 'Whether protection rules name roles or a policy rule.',
  }),
  use_keystone_limits: opt.bool({
    default: false,
    help: 'Enforce unified limits from identity (image_size_total, image_stage_total, image_count_total, image_count_uploading).',
  }),
  delayed_delete: opt.bool({
    default: false,
    help: 'Deleted images wait in pending_delete for the scrubber instead of losing their data at once.',
  }),
  scrub_time: opt.int({
    default: 0,
    min: 0,
    help: 'Seconds a pending_delete image waits before the scrubber deletes it.',
  }),
  wakeup_time: opt.int({ default: 300, min: 1, help: 'Seconds between scrubber passes.' }),
  task_time_to_live: opt.int({ default: 48, min: 1, help: 'Hours a finished task stays visible.' }),
});

/** Glance's `[glance_download_properties]`: what glance-download copies from the remote image. */
export const glanceDownloadOptions = defineOptions(
  'glance_download_properties',
  'What the glance-download import copies.',
  {
    extra_properties: opt.list({
      default: ['hw_', 'trait:', 'os_distro', 'os_secure_boot', 'os_type'],
      help: 'Prefixes of the additional properties copied from the remote image.',
    }),
  },
);

/** Glance's `[import_filtering_opts]`: where web-download may fetch from. */
export const importFilteringOptions = defineOptions(
  'import_filtering_opts',
  'What web-download imports may reach.',
  {
    allowed_schemes: opt.list({ default: ['http', 'https'], help: 'URL schemes web-download accepts.' }),
    allowed_ports: opt.list({ default: ['80', '443'], help: 'Ports web-download accepts (empty: any).' }),
    disallowed_hosts: opt.list({ default: [], help: 'Host names or addresses web-download refuses.' }),
    allow_private_networks: opt.bool({
      default: false,
      help: 'Let web-download reach loopback, private, link-local and other non-public addresses.',
    }),
  },
);

/** Glance's `[image_import_opts]`: the plugins an import runs on the staged data, in order. */
export const importPluginOptions = defineOptions('image_import_opts', 'Import plugins.', {
  image_import_plugins: opt.list({
    default: [],
    help: 'Plugins run on staged data: image_decompression, image_conversion, inject_image_metadata.',
  }),
});

/** Glance's `[image_conversion]`. */
export const imageConversionOptions = defineOptions(
  'image_conversion',
  'The image_conversion import plugin.',
  {
    output_format: opt.enum({
      choices: ['raw', 'qcow2', 'vmdk', 'vhdx', 'vdi'],
      default: 'raw',
      help: 'Disk format imported images are converted to.',
    }),
  },
);

/** Glance's `[inject_metadata_properties]`. */
export const injectMetadataOptions = defineOptions(
  'inject_metadata_properties',
  'The inject_image_metadata import plugin.',
  {
    ignore_user_roles: opt.list({
      default: ['admin'],
      help: 'Users with one of these roles get nothing injected.',
    }),
    inject: opt.list({ default: [], help: 'Properties set on imported images, as key:value pairs.' }),
  },
);

/** Glance's `[image_format]` setting the conversion plugin reads. */
export const imageFormatOptions = defineOptions('image_format', 'Disk format rules.', {
  vmdk_allowed_types: opt.list({
    default: ['streamOptimized', 'monolithicSparse'],
    help: 'VMDK create types accepted for conversion (never ones with external extents).',
  }),
});
