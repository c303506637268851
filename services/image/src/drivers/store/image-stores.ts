import type { ImageStore } from './store-api';

/** `/v2/info/stores` entry. */
export interface StoreInfo {
  id: string;
  default?: 'true';
}

/** A store id no configured store has (upstream's UnknownScheme). */
export class UnknownStore extends Error {
  constructor(readonly storeId: string) {
    super(`Store for identifier ${storeId} not found`);
  }
}

/**
 * The configured stores (`enabled_backends`), the default one, and the staging area of imports.
 * Lookups by id; the staging area is reachable by its reserved id only, never listed.
 */
export class ImageStores {
  private readonly byId = new Map<string, ImageStore>();

  constructor(
    stores: readonly ImageStore[],
    readonly defaultId: string,
    readonly staging: ImageStore,
  ) {
    for (const s of stores) this.byId.set(s.id, s);
    if (!this.byId.has(defaultId)) throw new Error(`default_backend ${defaultId} is not in enabled_backends`);
  }

  /** Ids of every configured store, in configuration order. */
  ids(): string[] {
    return [...this.byId.keys()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** A configured store, or the staging area by its reserved id; UnknownStore otherwise. */
  get(id: string): ImageStore {
    const store = id === this.staging.id ? this.staging : this.byId.get(id);
    if (!store) throw new UnknownStore(id);
    return store;
  }

  info(): StoreInfo[] {
    return this.ids().map((id) => ({
      id,
      ...(id === this.defaultId ? { default: 'true' as const } : {}),
    }));
  }

  detail(): (StoreInfo & { type: string; properties: Record<string, unknown> })[] {
    return this.info().map((i) => {
      const s = this.byId.get(i.id)!;
      return { ...i, type: s.type, properties: s.properties() };
    });
  }
}
