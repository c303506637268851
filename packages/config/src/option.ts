/** The value kinds an option can hold. */
export type OptionKind = 'string' | 'int' | 'float' | 'bool' | 'list' | 'enum';

/**
 * One declared option: its kind, default, bounds and help. `T` is the type of the loaded value,
 * so `config.group(identityOptions).tokenExpiration` is typed without casts.
 */
export interface Option<T> {
  readonly kind: OptionKind;
  readonly default: T;
  readonly help: string;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  /** Hide the value in logs and samples (passwords, keys). */
  readonly secret?: boolean;
  /** Older names still accepted in files, as oslo.config's deprecated_name. */
  readonly deprecatedNames?: readonly string[];
}

interface Common {
  help: string;
  secret?: boolean;
  deprecatedNames?: readonly string[];
}

/** Builders for declared options: `opt.int({ default: 3600, min: 1, help: '...' })`. */
export const opt = {
  string: <D extends string | undefined = string>(o: Common & { default: D }): Option<D> => ({ kind: 'string', ...o }),
  int: <D extends number | undefined = number>(o: Common & { default: D; min?: number; max?: number }): Option<D> => ({
    kind: 'int',
    ...o,
  }),
  float: (o: Common & { default: number; min?: number; max?: number }): Option<number> => ({ kind: 'float', ...o }),
  bool: (o: Common & { default: boolean }): Option<boolean> => ({ kind: 'bool', ...o }),
  list: (o: Common & { default: string[] }): Option<string[]> => ({ kind: 'list', ...o }),
  enum: <C extends string>(o: Common & { choices: readonly C[]; default: C }): Option<C> => ({ kind: 'enum', ...o }),
};

/** A named section of options (`[identity]`, `[database]`...). */
export interface OptionGroup<S extends Record<string, Option<unknown>> = Record<string, Option<unknown>>> {
  readonly name: string;
  readonly help: string;
  readonly options: S;
}

/** The loaded values of a group, typed from its declaration. */
export type GroupValues<G extends OptionGroup> = { [K in keyof G['options']]: G['options'][K]['default'] };

/**
 * Declares a group of options. Option keys are the names used in the INI file (snake_case, as
 * oslo.config names them).
 */
export function defineOptions<S extends Record<string, Option<unknown>>>(name: string, help: string, options: S): OptionGroup<S> {
  return { name, help, options };
}
