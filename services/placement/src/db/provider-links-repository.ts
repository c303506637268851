import { type Database, nowTimestamp } from '@nimbus/db';
import { PlacementBadRequest, PlacementConflict, placementCodes } from '../manager/placement-errors';
import { TraitNotFound, type Traits } from '../manager/traits';
import type { PlacementTables } from './placement-tables';
import { type ProviderRecord, ProviderRepository } from './provider-repository';
import { writeTransaction } from './write-transaction';

/** A provider's traits and aggregates; setting them checks and bumps the provider generation. */
export class ProviderLinksRepository {
  private readonly providers: ProviderRepository;

  constructor(
    private readonly db: Database<PlacementTables>,
    private readonly traits: Traits,
  ) {
    this.providers = new ProviderRepository(db);
  }

  /** Trait names of a provider, sorted. */
  async traitsOf(providerId: number): Promise<string[]> {
    const rows = await this.db.kysely
      .selectFrom('resource_provider_traits')
      .select('trait_id')
      .where('resource_provider_id', '=', providerId)
      .execute();
    return (await this.traits.namesOf(rows.map((r) => r.trait_id))).sort();
  }

  /** Replaces a provider's traits; `generation` undefined skips the check (DELETE). */
  async setTraits(uuid: string, generation: number | undefined, names: string[]): Promise<ProviderRecord> {
    const unique = [...new Set(names)];
    return writeTransaction(this.db, async (trx) => {
      const p = await this.providers.get(uuid, trx);
      await this.providers.lock(trx, [p.id]);
      const fresh = await this.providers.get(uuid, trx);
      if (generation !== undefined && generation !== fresh.generation) {
        throw new PlacementConflict(
          "Resource provider's generation already changed. Please update the generation and try again.",
          placementCodes.concurrentUpdate,
        );
      }
      let ids: Map<string, number>;
      try {
        ids = await this.traits.idsOf(unique, trx);
      } catch (err) {
        if (!(err instanceof TraitNotFound)) throw err;
        throw new PlacementBadRequest(`No such trait ${err.names}`);
      }
      await trx.deleteFrom('resource_provider_traits').where('resource_provider_id', '=', p.id).execute();
      if (ids.size) {
        await trx
          .insertInto('resource_provider_traits')
          .values([...ids.values()].map((trait_id) => ({ resource_provider_id: p.id, trait_id })))
          .execute();
      }
      const gen = await this.providers.bump(trx, p.id, fresh.generation, uuid);
      return { ...fresh, generation: gen };
    });
  }

  /** Aggregate uuids of a provider. */
  async aggregatesOf(providerId: number): Promise<string[]> {
    const rows = await this.db.kysely
      .selectFrom('resource_provider_aggregates')
      .select('aggregate_uuid')
      .where('resource_provider_id', '=', providerId)
      .execute();
    return rows.map((r) => r.aggregate_uuid);
  }

  /** Replaces a provider's aggregates; with a generation (1.19+) it is checked and bumped. */
  async setAggregates(
    uuid: string,
    generation: number | undefined,
    aggregates: string[],
  ): Promise<ProviderRecord> {
    return writeTransaction(this.db, async (trx) => {
      const p = await this.providers.get(uuid, trx);
      await this.providers.lock(trx, [p.id]);
      const fresh = await this.providers.get(uuid, trx);
      if (generation !== undefined && generation !== fresh.generation) {
        throw new PlacementConflict(
          "Resource provider's generation already changed. Please update the generation and try again.",
          placementCodes.concurrentUpdate,
        );
      }
      await trx.deleteFrom('resource_provider_aggregates').where('resource_provider_id', '=', p.id).execute();
      const unique = [...new Set(aggregates)];
      if (unique.length) {
        await trx
          .insertInto('resource_provider_aggregates')
          .values(unique.map((aggregate_uuid) => ({ resource_provider_id: p.id, aggregate_uuid })))
          .execute();
      }
      if (generation === undefined) {
        // No generation before 1.19; the change is still stamped for the candidate snapshot.
        await trx
          .updateTable('resource_providers')
          .set({ updated_at: nowTimestamp() })
          .where('id', '=', p.id)
          .execute();
        return fresh;
      }
      const gen = await this.providers.bump(trx, p.id, fresh.generation, uuid);
      return { ...fresh, generation: gen };
    });
  }
}
