import { InternalError } from '@nimbus/errors';
import { checkName } from './bus-internals';
import type { RemoteErrorClass } from './remote-error';
import type { Static, TSchema } from './rpc-schema';
import { parseRpcVersion, versionIsCompatible } from './rpc-version';

/** One method of an RPC interface, declared as data. */
export interface RpcMethodSpec {
  /** Schema of the arguments object; servers validate every message against it. */
  readonly args: TSchema;
  /** Schema of the result (calls). Default: no result. */
  readonly result?: TSchema;
  /**
   * Interface version that introduced the method, or last changed its arguments. Messages are
   * stamped with it, so a client capped below it refuses to send, and an older server refuses it.
   */
  readonly since: string;
  /** `call` only, `cast` only (also fanout), or both (default). */
  readonly mode?: 'call' | 'cast';
  /**
   * The callee acts for the user towards another API, so the caller's token travels with the
   * message. Default false: the token is left out of the context, as it crosses the broker in clear.
   */
  readonly passToken?: boolean;
}

/** The methods of an interface, by name (OpenStack's snake_case names, e.g. `build_and_run_instance`). */
export type RpcMethods = Readonly<Record<string, RpcMethodSpec>>;

/** An RPC interface: what a worker role serves on a topic, and at which version. */
export interface RpcInterface<M extends RpcMethods = RpcMethods> {
  /** The topic its servers listen on (`compute`, `conductor`, `scheduler`). */
  readonly topic: string;
  /** The version servers of this release implement, `major.minor`. */
  readonly version: string;
  readonly methods: M;
  /** Domain errors the methods throw, rebuilt as themselves on the caller's side. */
  readonly errors: readonly RemoteErrorClass[];
}

/** The arguments type of a method. */
export type RpcArgs<S extends RpcMethodSpec> = Static<S['args']>;
/** The result type of a method (`void` without a result schema). */
// biome-ignore lint/suspicious/noConfusingVoidType: a method without a result schema returns nothing
export type RpcResult<S extends RpcMethodSpec> = S extends { result: infer R extends TSchema } ? Static<R> : void;

/**
 * Declares an RPC interface. Checks at once that names are valid, versions are `major.minor`,
 * and every method's `since` is served by `version` (same major, not newer). For example:
 *
 * ```ts
 * export const computeRpc = defineRpcInterface({
 *   topic: 'compute',
 *   version: '1.3',
 *   errors: [InstanceNotFound],
 *   methods: {
 *     build_and_run_instance: { args: Type.Object({ instance_id: Type.String() }), since: '1.0', mode: 'cast' },
 *     get_console_output: { args: Type.Object({ instance_id: Type.String() }), result: Type.String(), since: '1.3', mode: 'call' },
 *   },
 * });
 * ```
 */
export function defineRpcInterface<const M extends RpcMethods>(spec: {
  topic: string;
  version: string;
  methods: M;
  errors?: readonly RemoteErrorClass[];
}): RpcInterface<M> {
  checkName('topic', spec.topic);
  parseRpcVersion(spec.version);
  for (const [name, method] of Object.entries(spec.methods)) {
    checkName('method', name);
    parseRpcVersion(method.since);
    if (!versionIsCompatible(spec.version, method.since)) {
      throw new InternalError(
        `RPC method ${spec.topic}.${name} is since ${method.since}, not served by interface version ${spec.version}`,
        { code: 'BUS_INVALID_VERSION' },
      );
    }
  }
  return Object.freeze({
    topic: spec.topic,
    version: spec.version,
    methods: spec.methods,
    errors: Object.freeze([...(spec.errors ?? [])]),
  });
}
