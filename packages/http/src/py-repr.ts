/** How deep `pyRepr` renders before eliding: bodies may nest thousands deep (a 400, not a 500). */
const REPR_MAX_DEPTH = 32;
/** How many characters of a rendered value a message carries at most. */
const REPR_MAX_LENGTH = 4096;

/**
 * Renders a JSON value as Python's repr would, since upstream messages quote Python values.
 * Hostile bodies stay cheap: nesting past 32 levels renders as `...`, the result is cut at
 * 4,096 characters, and anything that is not plain JSON data (a stream handed to a streaming
 * route) renders as its type name instead of being walked.
 */
export function pyRepr(value: unknown): string {
  const text = reprAt(value, 0);
  return text.length > REPR_MAX_LENGTH ? `${text.slice(0, REPR_MAX_LENGTH)}...` : text;
}

function reprAt(value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'object') return String(value);
  if (depth >= REPR_MAX_DEPTH) return Array.isArray(value) ? '[...]' : '{...}';
  if (Array.isArray(value)) return `[${value.map((v) => reprAt(v, depth + 1)).join(', ')}]`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `<${proto?.constructor?.name ?? 'object'}>`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${reprAt(k, depth + 1)}: ${reprAt(v, depth + 1)}`)
    .join(', ')}}`;
}
