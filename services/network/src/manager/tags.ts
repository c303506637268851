import type { Database } from '@nimbus/db';
import { inTransaction, type ResourceStore } from '../db/resource-store';

/** Replaces a resource's tags and bumps its revision, in one transaction. */
export async function setTags(
  db: Database<any>,
  store: ResourceStore,
  id: string,
  tags: readonly string[],
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('tags').where('resource_id', '=', id).execute();
    const unique = [...new Set(tags)];
    if (unique.length)
      await trx
        .insertInto('tags')
        .values(unique.map((tag) => ({ resource_id: id, tag })))
        .execute();
    await store.touch(trx, id);
  });
}
