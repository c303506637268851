// The image schema document (`GET /v2/schemas/image`), as clients validate against it: the
// attribute types, enums, patterns and read-only flags of Glance 25, in our own words.
export const IMAGE_PROPERTIES: Record<string, unknown> = {
  id: {
    type: 'string',
    description: 'Identifier of the image (a UUID).',
    pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$',
  },
  name: {
    type: ['null', 'string'],
    description: 'Name of the image.',
    maxLength: 255,
  },
  status: {
    type: 'string',
    readOnly: true,
    description: 'Where the image is in its life cycle.',
    enum: [
      'queued',
      'saving',
      'active',
      'killed',
      'deleted',
      'uploading',
      'importing',
      'pending_delete',
      'deactivated',
    ],
  },
  visibility: {
    type: 'string',
    description: 'Who can see the image.',
    enum: ['community', 'public', 'private', 'shared'],
  },
  protected: {
    type: 'boolean',
    description: 'A protected image cannot be deleted.',
  },
  os_hidden: {
    type: 'boolean',
    description: 'Hidden images are left out of default lists.',
  },
  checksum: {
    type: ['null', 'string'],
    readOnly: true,
    description: 'MD5 of the image data.',
    maxLength: 32,
  },
  os_hash_algo: {
    type: ['null', 'string'],
    readOnly: true,
    description: 'Algorithm of os_hash_value.',
    maxLength: 64,
  },
  os_hash_value: {
    type: ['null', 'string'],
    readOnly: true,
    description: 'Hash of the image data.',
    maxLength: 128,
  },
  owner: {
    type: ['null', 'string'],
    description: 'Project that owns the image.',
    maxLength: 255,
  },
  size: {
    type: ['null', 'integer'],
    readOnly: true,
    description: 'Size of the image data in bytes.',
  },
  virtual_size: {
    type: ['null', 'integer'],
    readOnly: true,
    description: 'Size of the disk the image holds, in bytes.',
  },
  container_format: {
    type: ['null', 'string'],
    description: 'Format of the container holding the disk.',
    enum: [null, 'ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'],
  },
  disk_format: {
    type: ['null', 'string'],
    description: 'Format of the disk.',
    enum: [null, 'ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'],
  },
  created_at: {
    type: 'string',
    readOnly: true,
    description: 'When the image was created.',
  },
  updated_at: {
    type: 'string',
    readOnly: true,
    description: 'When the image last changed.',
  },
  tags: {
    type: 'array',
    description: 'Tags of the image.',
    items: {
      type: 'string',
      maxLength: 255,
    },
  },
  direct_url: {
    type: 'string',
    readOnly: true,
    description: 'Where the data is in its store (when shown).',
  },
  min_ram: {
    type: 'integer',
    description: 'RAM an instance of the image needs, in MiB.',
  },
  min_disk: {
    type: 'integer',
    description: 'Disk an instance of the image needs, in GiB.',
  },
  self: {
    type: 'string',
    readOnly: true,
    description: 'Address of the image.',
  },
  file: {
    type: 'string',
    readOnly: true,
    description: 'Address of the image data.',
  },
  stores: {
    type: 'string',
    readOnly: true,
    description: 'Stores holding the image data.',
  },
  schema: {
    type: 'string',
    readOnly: true,
    description: 'Address of this schema.',
  },
  locations: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        url: {
          type: 'string',
          maxLength: 255,
        },
        metadata: {
          type: 'object',
        },
        validation_data: {
          description: 'Values that fill the hash properties when the location is added.',
          type: 'object',
          writeOnly: true,
          additionalProperties: false,
          properties: {
            checksum: {
              type: 'string',
              minLength: 32,
              maxLength: 32,
            },
            os_hash_algo: {
              type: 'string',
              maxLength: 64,
            },
            os_hash_value: {
              type: 'string',
              maxLength: 128,
            },
          },
          required: ['os_hash_algo', 'os_hash_value'],
        },
      },
      required: ['url', 'metadata'],
    },
    description: 'Locations of the image data (when shown).',
  },
};

export const IMAGE_LINKS = [
  { rel: 'self', href: '{self}' },
  { rel: 'enclosure', href: '{file}' },
  { rel: 'describedby', href: '{schema}' },
];
