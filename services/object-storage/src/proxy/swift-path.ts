/** A `/v1/<account>[/<container>[/<object>]]` path. */
export interface SwiftPath {
  version: string;
  account: string;
  container?: string;
  object?: string;
}

const parsed = new Map<string, SwiftPath | undefined>();

/** Splits an API path; undefined when it is not one (the object keeps its slashes). Memoized: every middleware asks. */
export function parseSwiftPath(path: string): SwiftPath | undefined {
  if (parsed.has(path)) return parsed.get(path);
  const result = splitSwiftPath(path);
  if (parsed.size >= 4096) parsed.clear();
  parsed.set(path, result);
  return result;
}

function splitSwiftPath(path: string): SwiftPath | undefined {
  const m = /^\/([^/]+)\/([^/]+)(?:\/([^/]*)(?:\/(.*))?)?$/s.exec(path);
  if (!m) return undefined;
  const [, version, account, container, object] = m;
  if (container === '' && object !== undefined) return undefined;
  return {
    version: version!,
    account: account!,
    container: container === '' || container === undefined ? undefined : container,
    object: object === '' || object === undefined ? undefined : object,
  };
}

export function swiftPath(p: SwiftPath): string {
  let out = `/${p.version}/${p.account}`;
  if (p.container !== undefined) out += `/${p.container}`;
  if (p.object !== undefined) out += `/${p.object}`;
  return out;
}
