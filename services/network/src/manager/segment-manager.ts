import { randomUUID } from 'node:crypto';
import type { Database } from '@nimbus/db';
import type { CallContext } from '../api/call-context';
import type { ListQuery } from '../api/list-query';
import type { ResourceHandlers } from '../api/resource-definition';
import { inTransaction, type Resource } from '../db/resource-store';
import { withRetries } from '../db/retryable';
import { NeutronError, notFoundErrors } from './network-errors';
import { type NetworkManager, segmentOf } from './network-manager';

/**
 * The segments API: a network's segments listed, added (their ids reserved as a network's
 * are) and removed while no subnet is on them. Admin only, by policy.
 */
export class SegmentManager implements ResourceHandlers {
  constructor(
    private readonly db: Database<any>,
    private readonly networks: NetworkManager,
    private readonly retries: number,
  ) {}

  private get store() {
    return this.networks.segments;
  }

  async list(_ctx: CallContext, query: ListQuery): Promise<Resource[]> {
    return (await this.store.list(query)).map(view);
  }

  async get(_ctx: CallContext, id: string): Promise<Resource | undefined> {
    const row = await this.store.get(this.db.kysely, id);
    return row && view(row);
  }

  async create(_ctx: CallContext, item: Resource): Promise<Resource> {
    const networkId = item.network_id as string;
    return withRetries(this.retries, () =>
      inTransaction(this.db, async (trx) => {
        if (!(await this.networks.store.get(trx, networkId))) throw notFoundErrors.network(networkId);
        const segment = await this.networks.types.reserveOne(trx, networkId, {
          networkType: item.network_type as string,
          physicalNetwork: (item.physical_network as string | null) ?? null,
          segmentationId: (item.segmentation_id as number | null) ?? null,
        });
        const existing = await this.networks.segmentsOf(trx, networkId);
        const index = existing.length ? Math.max(...existing.map((e) => e.segment_index as number)) + 1 : 0;
        const row = await this.store.insert(trx, {
          id: randomUUID(),
          network_id: networkId,
          name: item.name ?? null,
          description: item.description ?? '',
          network_type: segment.networkType,
          physical_network: segment.physicalNetwork,
          segmentation_id: segment.segmentationId,
          segment_index: index,
        });
        await this.networks.store.touch(trx, networkId);
        return view(row);
      }),
    );
  }

  async update(_ctx: CallContext, current: Resource, changes: Resource): Promise<Resource> {
    return inTransaction(this.db, async (trx) => {
      await this.store.update(trx, current.id as string, changes);
      return view((await this.store.get(trx, current.id as string))!);
    });
  }

  async delete(_ctx: CallContext, current: Resource): Promise<void> {
    const id = current.id as string;
    await inTransaction(this.db, async (trx) => {
      const subnets = await trx.selectFrom('subnets').select('id').where('segment_id', '=', id).execute();
      if (subnets.length)
        throw new NeutronError(
          'conflict',
          'SegmentInUse',
          `Segment '${id}' cannot be deleted: The segment is still associated with subnet(s) ${subnets.map((s) => s.id).join(', ')}.`,
        );
      await this.networks.types.release(trx, current.network_id as string, segmentOf(current));
      await this.store.delete(trx, id);
      await this.networks.store.touch(trx, current.network_id as string);
    });
  }

  async setTags(): Promise<void> {
    throw new NeutronError('not_found', 'HTTPNotFound', 'Segments have no tags.');
  }
}

/** A segment as the API shows it (no project, no index). */
function view(row: Resource): Resource {
  const { segment_index: _i, project_id: _p, tenant_id: _t, tags: _g, ...rest } = row;
  return rest;
}
