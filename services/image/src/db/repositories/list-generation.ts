import type { Database } from '@nimbus/db';

/** A handle that can run a statement: the database's Kysely or a transaction's. */
type Executor = Database['kysely'];

/**
 * The image list generation (table `image_generation`): writers move it on inside their
 * transactions; readers compare it with the generation an answer was computed at.
 */
export class ListGeneration {
  constructor(private readonly db: Database) {}

  async bump(t: Executor = this.db.kysely): Promise<void> {
    await t
      .updateTable('image_generation')
      .set((eb) => ({ gen: eb('gen', '+', 1) }))
      .where('id', '=', 1)
      .execute();
  }

  async current(): Promise<number> {
    const row = (await this.db.kysely
      .selectFrom('image_generation')
      .select('gen')
      .where('id', '=', 1)
      .executeTakeFirst()) as { gen: number | string } | undefined;
    return Number(row?.gen ?? 0);
  }
}
