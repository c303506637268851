import { PlacementBadRequest } from '../manager/placement-errors';
import { validateJson, type Schema } from './json-validation';

/** A query string as WebOb's MultiDict reads it: repeated keys kept in order, the last one wins for `get`. */
export class QueryParams {
  private readonly entries: [string, string][];

  constructor(text: string) {
    try {
      this.entries = [...new URLSearchParams(text)];
    } catch {
      throw new PlacementBadRequest('Invalid query string parameters: the query string is not valid');
    }
  }

  has(key: string): boolean {
    return this.entries.some(([k]) => k === key);
  }

  /** The last value of `key`. */
  get(key: string): string | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--)
      if (this.entries[i]![0] === key) return this.entries[i]![1];
    return undefined;
  }

  /** Every value of `key`, in order. */
  getAll(key: string): string[] {
    return this.entries.filter(([k]) => k === key).map(([, v]) => v);
  }

  keys(): string[] {
    return [...new Set(this.entries.map(([k]) => k))];
  }

  /** `dict(req.GET)`: one value a key (the last). */
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.entries) out[k] = v;
    return out;
  }

  /** Validates the parameters as upstream does (400 `Invalid query string parameters: ...`). */
  validate(schema: Schema): void {
    validateJson(schema, this.toObject(), 'Invalid query string parameters: ');
  }
}
