import { NotFoundError } from '@nimbus/errors';

/** An entity looked up for a rule's target, whose absence is reported only after the check. */
export interface Deferred<T> {
  /** The entity, or undefined when it does not exist (the target then lacks it). */
  readonly value: T | undefined;
  /** The entity; throws the lookup's NotFoundError when it does not exist. */
  get(): T;
}

/**
 * Keystone builds a rule's target before it knows the entity exists and answers 404 only to a
 * caller the rule allows: anyone else gets 403 for a missing id as for an existing one, so ids
 * cannot be probed. Runs `lookup` and keeps a NotFoundError for `get()`; other errors propagate.
 */
export async function deferNotFound<T>(lookup: Promise<T>): Promise<Deferred<T>> {
  try {
    const value = await lookup;
    return { value, get: () => value };
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    return {
      value: undefined,
      get: () => {
        throw err;
      },
    };
  }
}
