import { randomUUID } from 'node:crypto';
import type { Migration } from '@nimbus/db';

/**
 * ML2's network segments (a network has one or more, in order) and the segment allocations:
 * one row per taken (type, physical network, id) — flat networks take id 0 of their physical
 * network — so the primary key alone keeps two networks off one segment. Existing networks
 * get their one segment from their provider columns.
 */
export const segmentsMigration: Migration = {
  id: '0003-segments',
  async up(db) {
    await db.schema
      .createTable('network_segments')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('network_id', 'varchar(36)', (c) => c.notNull().references('networks.id'))
      .addColumn('name', 'varchar(255)')
      .addColumn('description', 'varchar(255)', (c) => c.notNull())
      .addColumn('network_type', 'varchar(32)', (c) => c.notNull())
      .addColumn('physical_network', 'varchar(64)')
      .addColumn('segmentation_id', 'integer')
      .addColumn('segment_index', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revision_number', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('network_segments_network_idx')
      .on('network_segments')
      .column('network_id')
      .execute();
    await db.schema
      .createTable('ml2_segment_allocations')
      .addColumn('network_type', 'varchar(32)', (c) => c.notNull())
      .addColumn('physical_network', 'varchar(64)', (c) => c.notNull())
      .addColumn('segmentation_id', 'bigint', (c) => c.notNull())
      .addColumn('network_id', 'varchar(36)', (c) => c.notNull())
      .addPrimaryKeyConstraint('ml2_segment_allocations_pk', [
        'network_type',
        'physical_network',
        'segmentation_id',
      ])
      .execute();
    await db.schema
      .createIndex('ml2_segment_allocations_network_idx')
      .on('ml2_segment_allocations')
      .column('network_id')
      .execute();
    const networks = await db
      .selectFrom('networks')
      .select([
        'id',
        'created_at',
        'provider_network_type',
        'provider_physical_network',
        'provider_segmentation_id',
      ])
      .execute();
    for (const n of networks as any[]) {
      if (!n.provider_network_type) continue;
      await db
        .insertInto('network_segments')
        .values({
          id: randomUUID(),
          network_id: n.id,
          name: null,
          description: '',
          network_type: n.provider_network_type,
          physical_network: n.provider_physical_network,
          segmentation_id: n.provider_segmentation_id,
          segment_index: 0,
          created_at: n.created_at,
          updated_at: n.created_at,
          revision_number: 0,
        })
        .execute();
      if (n.provider_network_type === 'local') continue;
      const key = {
        network_type: n.provider_network_type,
        physical_network: n.provider_physical_network ?? '',
        segmentation_id: n.provider_segmentation_id ?? 0,
      };
      const taken = await db
        .selectFrom('ml2_segment_allocations')
        .select('network_id')
        .where('network_type', '=', key.network_type)
        .where('physical_network', '=', key.physical_network)
        .where('segmentation_id', '=', key.segmentation_id)
        .executeTakeFirst();
      if (!taken)
        await db
          .insertInto('ml2_segment_allocations')
          .values({ ...key, network_id: n.id })
          .execute();
    }
  },
};
