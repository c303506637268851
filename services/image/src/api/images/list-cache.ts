/**
 * Image list answers kept per caller and query, valid while the image list generation has not
 * moved (every write to images, properties, tags, locations or members moves it, in its
 * transaction, on any API node sharing the database). A hit costs one read of the generation
 * instead of the list's queries; the least recently used answers go past `max`.
 */
export class ListCache {
  private readonly entries = new Map<string, { gen: number; body: Record<string, unknown> }>();

  constructor(
    private readonly generation: () => Promise<number>,
    private readonly max = 1024,
  ) {}

  async answer(
    key: string,
    compute: () => Promise<Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    const gen = await this.generation();
    const hit = this.entries.get(key);
    if (hit?.gen === gen) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.body;
    }
    const body = await compute();
    // Kept only when nothing was written meanwhile: the answer is then the state at `gen`.
    if ((await this.generation()) === gen) {
      this.entries.delete(key);
      this.entries.set(key, { gen, body });
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    return body;
  }
}
