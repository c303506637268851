import { type Database, nowTimestamp, toBoolean } from '@nimbus/db';
import { type ImageListSpec, listImagePage } from './image-listing';
import { ListGeneration } from './list-generation';

/** The handle a transaction's callback receives. */
type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Upstream's name for the staging area of imports, kept as a location like any store. */
export const STAGING_STORE = 'os_glance_staging_store';

/** A project's image usage (see `ImageRepository.usage`). */
export interface ImageUsage {
  bytes: number;
  count: number;
  stagingBytes: number;
  uploading: number;
}

/** One copy of an image's data: the store that holds it and the store's address for it. */
export interface ImageLocation {
  store: string;
  /** Store-specific address (`file:///...`, `swift+http://...`). */
  url: string;
}

/** An image as the image service stores it. */
export interface ImageRecord {
  id: string;
  name: string | null;
  status: string;
  visibility: 'public' | 'private' | 'shared' | 'community';
  protected: boolean;
  osHidden: boolean;
  owner: string | null;
  size: number | null;
  virtualSize: number | null;
  diskFormat: string | null;
  containerFormat: string | null;
  minDisk: number;
  minRam: number;
  checksum: string | null;
  osHashAlgo: string | null;
  osHashValue: string | null;
  /** Where the data lives, one entry per store (the staged copy too); never shown but as `stores`. */
  locations: ImageLocation[];
  createdAt: string;
  updatedAt: string;
  /** Additional properties, all strings. */
  properties: Record<string, string>;
  tags: string[];
}

type Row = {
  id: string;
  name: string | null;
  status: string;
  visibility: ImageRecord['visibility'];
  protected: unknown;
  os_hidden: unknown;
  owner: string | null;
  size: string | number | null;
  virtual_size: string | number | null;
  disk_format: string | null;
  container_format: string | null;
  min_disk: number;
  min_ram: number;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  created_at: string;
  updated_at: string;
};

const num = (v: string | number | null) => (v === null ? null : Number(v));

const COLUMNS: Record<string, string> = {
  name: 'name',
  status: 'status',
  visibility: 'visibility',
  protected: 'protected',
  osHidden: 'os_hidden',
  owner: 'owner',
  size: 'size',
  virtualSize: 'virtual_size',
  diskFormat: 'disk_format',
  containerFormat: 'container_format',
  minDisk: 'min_disk',
  minRam: 'min_ram',
  checksum: 'checksum',
  osHashAlgo: 'os_hash_algo',
  osHashValue: 'os_hash_value',
};

/** Reads and writes images with their properties and tags; deleted images are kept as rows. */
export class ImageRepository {
  /** Moved on by every write below, in its transaction (the list cache reads it). */
  readonly generation: ListGeneration;

  constructor(private readonly db: Database) {
    this.generation = new ListGeneration(db);
  }

  async create(i: Omit<ImageRecord, 'createdAt' | 'updatedAt' | 'locations'>): Promise<ImageRecord> {
    const now = nowTimestamp();
    const row: Record<string, unknown> = { id: i.id, created_at: now, updated_at: now };
    for (const [field, column] of Object.entries(COLUMNS))
      row[column] = (i as unknown as Record<string, unknown>)[field];
    await this.db.transaction(async (t) => {
      await t.insertInto('image').values(row).execute();
      for (const [name, value] of Object.entries(i.properties))
        await t.insertInto('image_property').values({ image_id: i.id, name, value }).execute();
      for (const value of new Set(i.tags))
        await t.insertInto('image_tag').values({ image_id: i.id, value }).execute();
      await this.generation.bump(t);
    });
    return { ...i, locations: [], createdAt: now, updatedAt: now };
  }

  /** A live image (deleted ones are not found). */
  async get(id: string): Promise<ImageRecord | undefined> {
    const row = (await this.db.kysely
      .selectFrom('image')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()) as Row | undefined;
    return row ? (await this.hydrate([row]))[0] : undefined;
  }

  /** Whether an id was ever used (ids of deleted images cannot be reused, as upstream). */
  async exists(id: string): Promise<boolean> {
    return (
      (await this.db.kysely.selectFrom('image').select('id').where('id', '=', id).executeTakeFirst()) !==
      undefined
    );
  }

  /**
   * Live images a project can see: its own, public, community, and those shared with it;
   * everything for admins (`projectId` undefined). Without `details`, properties and tags are
   * left empty (a list reads them only for the page it returns, see `withDetails`).
   */
  async listVisible(projectId: string | undefined, details = true): Promise<ImageRecord[]> {
    let q = this.db.kysely.selectFrom('image').selectAll().where('deleted_at', 'is', null);
    if (projectId !== undefined) {
      const shared = this.db.kysely
        .selectFrom('image_member')
        .select('image_id')
        .where('member', '=', projectId);
      q = q.where((eb) =>
        eb.or([
          eb('owner', '=', projectId),
          eb('visibility', 'in', ['public', 'community']),
          eb('id', 'in', shared),
        ]),
      );
    }
    const rows = (await q.execute()) as Row[];
    return details ? this.hydrate(rows) : rows.map((r) => this.toRecord(r));
  }

  /** One page of a list, filtered, sorted and paged in SQL. */
  page(spec: ImageListSpec): Promise<{ page: ImageRecord[]; more: boolean; markerFound: boolean }> {
    return listImagePage(this.db, this, spec);
  }

  /** Image records (without properties and tags) from raw `image` rows. */
  async fromRows(rows: Record<string, unknown>[]): Promise<ImageRecord[]> {
    return (rows as unknown as Row[]).map((r) => this.toRecord(r));
  }

  /** The same images with their properties and tags read. */
  async withDetails(images: readonly ImageRecord[]): Promise<ImageRecord[]> {
    if (!images.length) return [];
    const ids = images.map((i) => i.id);
    const { props, tags, locations } = await this.details(ids);
    return images.map((i) => ({
      ...i,
      properties: props.get(i.id) ?? {},
      tags: tags.get(i.id) ?? [],
      locations: locations.get(i.id) ?? [],
    }));
  }

  async update(
    id: string,
    changes: Partial<Omit<ImageRecord, 'id' | 'createdAt' | 'updatedAt' | 'locations'>>,
  ): Promise<void> {
    const set: Record<string, unknown> = { updated_at: nowTimestamp() };
    for (const [field, column] of Object.entries(COLUMNS))
      if (field in changes) set[column] = (changes as Record<string, unknown>)[field];
    await this.db.transaction(async (t) => {
      await t.updateTable('image').set(set).where('id', '=', id).execute();
      if (changes.properties) {
        await t.deleteFrom('image_property').where('image_id', '=', id).execute();
        for (const [name, value] of Object.entries(changes.properties))
          await t.insertInto('image_property').values({ image_id: id, name, value }).execute();
      }
      if (changes.tags) {
        await t.deleteFrom('image_tag').where('image_id', '=', id).execute();
        for (const value of new Set(changes.tags))
          await t.insertInto('image_tag').values({ image_id: id, value }).execute();
      }
      await this.generation.bump(t);
    });
  }

  /**
   * Moves an image from one status to another only if it is still in `from` (compare-and-set):
   * two uploads racing for a queued image cannot both win. `location`, when given, is recorded in
   * the same transaction, so an image never turns active without its data.
   */
  async transition(
    id: string,
    from: readonly string[],
    to: string,
    extra: Partial<Omit<ImageRecord, 'locations'>> = {},
    location?: ImageLocation,
  ): Promise<boolean> {
    const set: Record<string, unknown> = { status: to, updated_at: nowTimestamp() };
    for (const [field, column] of Object.entries(COLUMNS))
      if (field in extra) set[column] = (extra as Record<string, unknown>)[field];
    return this.db.transaction(async (t) => {
      const r = await t
        .updateTable('image')
        .set(set)
        .where('id', '=', id)
        .where('status', 'in', from)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      if (location) await this.insertLocation(t, id, location);
      await this.generation.bump(t);
      return true;
    });
  }

  /** Records one more copy of a live image's data; false when the image is gone. */
  async addLocation(id: string, location: ImageLocation): Promise<boolean> {
    return this.db.transaction(async (t) => {
      const live = await t
        .selectFrom('image')
        .select('id')
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!live) return false;
      await this.insertLocation(t, id, location);
      await this.generation.bump(t);
      return true;
    });
  }

  /** Forgets the copy a store holds; false when there was none. */
  async removeLocation(id: string, store: string): Promise<boolean> {
    return this.db.transaction(async (t) => {
      const r = await t
        .deleteFrom('image_location')
        .where('image_id', '=', id)
        .where('store', '=', store)
        .executeTakeFirst();
      await this.generation.bump(t);
      return Number(r.numDeletedRows) > 0;
    });
  }

  /**
   * Marks an image deleted and forgets its locations (the caller deletes the data they named);
   * with `pending`, the image goes to pending_delete instead and keeps its locations for the
   * scrubber. Either way the API no longer finds it.
   */
  async markDeleted(id: string, pending = false): Promise<void> {
    const now = nowTimestamp();
    await this.db.transaction(async (t) => {
      await t
        .updateTable('image')
        .set({ status: pending ? 'pending_delete' : 'deleted', deleted_at: now, updated_at: now })
        .where('id', '=', id)
        .execute();
      if (!pending) await t.deleteFrom('image_location').where('image_id', '=', id).execute();
      await this.generation.bump(t);
    });
  }

  /** Images in pending_delete since before `before`, with their locations (the scrubber's work). */
  async pendingDeletes(before: string, limit: number): Promise<{ id: string; locations: ImageLocation[] }[]> {
    const rows = (await this.db.kysely
      .selectFrom('image')
      .select('id')
      .where('status', '=', 'pending_delete')
      .where('deleted_at', '<=', before)
      .orderBy('deleted_at')
      .limit(limit)
      .execute()) as { id: string }[];
    if (!rows.length) return [];
    const { locations } = await this.details(rows.map((r) => r.id));
    return rows.map((r) => ({ id: r.id, locations: locations.get(r.id) ?? [] }));
  }

  /** Ends a pending delete: the locations go and the image is deleted. */
  async finishDelete(id: string): Promise<void> {
    await this.db.transaction(async (t) => {
      await t.deleteFrom('image_location').where('image_id', '=', id).execute();
      await t
        .updateTable('image')
        .set({ status: 'deleted', updated_at: nowTimestamp() })
        .where('id', '=', id)
        .where('status', '=', 'pending_delete')
        .execute();
      await this.generation.bump(t);
    });
  }

  private async insertLocation(t: Transaction, id: string, l: ImageLocation): Promise<void> {
    await t.deleteFrom('image_location').where('image_id', '=', id).where('store', '=', l.store).execute();
    await t
      .insertInto('image_location')
      .values({ image_id: id, store: l.store, url: l.url, created_at: nowTimestamp() })
      .execute();
  }

  /**
   * What a project uses, as Glance's quotas count it: bytes stored (each store's copy counts),
   * live images, bytes in staging (images uploading or importing, and those being copied), and
   * images receiving data (saving, uploading, importing, or being copied).
   */
  async usage(owner: string): Promise<ImageUsage> {
    const k = this.db.kysely;
    const live = () => k.selectFrom('image').where('owner', '=', owner).where('deleted_at', 'is', null);
    const copying = k
      .selectFrom('image_property')
      .select('image_id')
      .where('name', '=', 'os_glance_importing_to_stores')
      .where('value', '!=', '');
    const [stored, count, staging, uploading] = await Promise.all([
      k
        .selectFrom('image')
        .innerJoin('image_location', 'image_location.image_id', 'image.id')
        .select((eb) => eb.fn.sum('image.size').as('n'))
        .where('image.owner', '=', owner)
        .where('image.deleted_at', 'is', null)
        .where('image.status', '!=', 'killed')
        .where('image_location.store', '!=', STAGING_STORE)
        .executeTakeFirst(),
      live()
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '!=', 'killed')
        .executeTakeFirst(),
      live()
        .select((eb) => eb.fn.sum('size').as('n'))
        .where((eb) => eb.or([eb('status', 'in', ['uploading', 'importing']), eb('id', 'in', copying)]))
        .executeTakeFirst(),
      live()
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb) =>
          eb.or([
            eb('status', 'in', ['saving', 'uploading', 'importing']),
            eb.and([eb('status', '!=', 'killed'), eb('id', 'in', copying)]),
          ]),
        )
        .executeTakeFirst(),
    ]);
    const n = (row: { n: unknown } | undefined) => Number(row?.n ?? 0);
    return { bytes: n(stored), count: n(count), stagingBytes: n(staging), uploading: n(uploading) };
  }

  private async details(ids: readonly string[]): Promise<{
    props: Map<string, Record<string, string>>;
    tags: Map<string, string[]>;
    locations: Map<string, ImageLocation[]>;
  }> {
    const props = new Map<string, Record<string, string>>();
    const tags = new Map<string, string[]>();
    const locations = new Map<string, ImageLocation[]>();
    for (let at = 0; at < ids.length; at += 500) {
      const slice = ids.slice(at, at + 500);
      const p = (await this.db.kysely
        .selectFrom('image_property')
        .selectAll()
        .where('image_id', 'in', slice)
        .execute()) as { image_id: string; name: string; value: string }[];
      for (const r of p) props.set(r.image_id, { ...props.get(r.image_id), [r.name]: r.value });
      const t = (await this.db.kysely
        .selectFrom('image_tag')
        .selectAll()
        .where('image_id', 'in', slice)
        .orderBy('value')
        .execute()) as { image_id: string; value: string }[];
      for (const r of t) tags.set(r.image_id, [...(tags.get(r.image_id) ?? []), r.value]);
      const l = (await this.db.kysely
        .selectFrom('image_location')
        .select(['image_id', 'store', 'url'])
        .where('image_id', 'in', slice)
        .orderBy('created_at')
        .execute()) as { image_id: string; store: string; url: string }[];
      for (const r of l)
        locations.set(r.image_id, [...(locations.get(r.image_id) ?? []), { store: r.store, url: r.url }]);
    }
    return { props, tags, locations };
  }

  private async hydrate(rows: Row[]): Promise<ImageRecord[]> {
    if (!rows.length) return [];
    const { props, tags, locations } = await this.details(rows.map((r) => r.id));
    return rows.map((r) =>
      this.toRecord(r, props.get(r.id) ?? {}, tags.get(r.id) ?? [], locations.get(r.id) ?? []),
    );
  }

  private toRecord(
    r: Row,
    properties: Record<string, string> = {},
    tags: string[] = [],
    locations: ImageLocation[] = [],
  ): ImageRecord {
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      visibility: r.visibility,
      protected: toBoolean(r.protected),
      osHidden: toBoolean(r.os_hidden),
      owner: r.owner,
      size: num(r.size),
      virtualSize: num(r.virtual_size),
      diskFormat: r.disk_format,
      containerFormat: r.container_format,
      minDisk: Number(r.min_disk),
      minRam: Number(r.min_ram),
      checksum: r.checksum,
      osHashAlgo: r.os_hash_algo,
      osHashValue: r.os_hash_value,
      locations,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      properties,
      tags,
    };
  }
}
