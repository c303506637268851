import { InternalError, NotImplementedError, TimeoutError } from '@nimbus/errors';

/**
 * No reply came in time: nobody serves the topic (or the server), or it was too slow. Names the
 * topic, the server when one was targeted, and the method. Code `BUS_CALL_TIMEOUT`.
 */
export class RpcTimeoutError extends TimeoutError {
  constructor(
    readonly topic: string,
    readonly server: string | undefined,
    readonly method: string,
    readonly timeoutSeconds: number,
    messageId: string,
  ) {
    super(
      `Timed out waiting for a reply to message ID ${messageId} (topic ${topic}${server === undefined ? '' : `, server ${server}`} ${method}) after ${timeoutSeconds} s`,
      { code: 'BUS_CALL_TIMEOUT' },
    );
  }
}

/** The server has no endpoint for the method (oslo's `NoSuchMethod`). Code `BUS_NO_SUCH_METHOD`. */
export class RpcNoSuchMethodError extends InternalError {
  constructor(readonly method: string) {
    super(`Endpoint does not support RPC method ${method}`, { code: 'BUS_NO_SUCH_METHOD' });
  }
}

/**
 * The server implements an older interface than the message asks for (oslo's
 * `UnsupportedVersion`): during a rolling upgrade, cap the callers (`[upgrade_levels]`) until
 * every server runs the new release. Code `BUS_UNSUPPORTED_VERSION`.
 */
export class RpcUnsupportedVersionError extends NotImplementedError {
  constructor(
    readonly topic: string,
    readonly requested: string,
    readonly served: string,
  ) {
    super(`Endpoint of topic ${topic} does not support RPC version ${requested} (it serves ${served})`, {
      code: 'BUS_UNSUPPORTED_VERSION',
    });
  }
}

/**
 * The client refused to send: the method (or its arguments) needs a newer interface version
 * than the cap allows (oslo's `RPCVersionCapError`). Check `canSend()` first and fall back.
 * Code `BUS_VERSION_CAP`.
 */
export class RpcVersionCapError extends InternalError {
  constructor(
    readonly topic: string,
    readonly method: string,
    readonly version: string,
    readonly versionCap: string,
  ) {
    super(
      `Cannot send ${topic}.${method}: it needs RPC version ${version}, above the version cap ${versionCap} ([upgrade_levels] ${topic})`,
      { code: 'BUS_VERSION_CAP' },
    );
  }
}

/** The arguments of a typed method failed its schema on the server. Code `BUS_INVALID_ARGUMENTS`. */
export class RpcInvalidArgumentsError extends InternalError {
  constructor(
    readonly method: string,
    readonly problems: string[],
  ) {
    super(`Invalid arguments for RPC method ${method}: ${problems.join('; ')}`, {
      code: 'BUS_INVALID_ARGUMENTS',
    });
  }
}

/** The bus's own error classes, rebuilt as themselves on the caller's side. */
export const busErrorClasses = [
  RpcTimeoutError,
  RpcNoSuchMethodError,
  RpcUnsupportedVersionError,
  RpcVersionCapError,
  RpcInvalidArgumentsError,
] as const;
