/** The cluster's limits, as `/info` publishes them under `swift` (upstream's `[swift-constraints]`). */
export interface Constraints {
  max_file_size: number;
  max_meta_name_length: number;
  max_meta_value_length: number;
  max_meta_count: number;
  max_meta_overall_size: number;
  max_header_size: number;
  max_object_name_length: number;
  container_listing_limit: number;
  account_listing_limit: number;
  max_account_name_length: number;
  max_container_name_length: number;
  extra_header_count: number;
  valid_api_versions: string[];
}

export const DEFAULT_CONSTRAINTS: Constraints = {
  max_file_size: 5_368_709_122,
  max_meta_name_length: 128,
  max_meta_value_length: 256,
  max_meta_count: 90,
  max_meta_overall_size: 4096,
  max_header_size: 8192,
  max_object_name_length: 1024,
  container_listing_limit: 10_000,
  account_listing_limit: 10_000,
  max_account_name_length: 256,
  max_container_name_length: 256,
  extra_header_count: 0,
  valid_api_versions: ['v1', 'v1.0'],
};

/** Why a request's metadata breaks a limit, or undefined when it fits (upstream's check_metadata). */
export function checkMetadata(
  headers: Record<string, string>,
  kind: 'account' | 'container' | 'object',
  c: Constraints,
): string | undefined {
  const prefix = `x-${kind}-meta-`;
  let count = 0;
  let size = 0;
  for (const [key, value] of Object.entries(headers)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (!name) return 'Metadata name cannot be empty';
    if (value?.includes('\u0000')) return 'Metadata must be valid UTF-8';
    count++;
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
    if (Buffer.byteLength(name) > c.max_meta_name_length) return `Metadata name too long: ${key}`;
    if (Buffer.byteLength(value) > c.max_meta_value_length)
      return `Metadata value longer than ${c.max_meta_value_length}: ${key}`;
    if (count > c.max_meta_count) return `Too many metadata items; max ${c.max_meta_count}`;
    if (size > c.max_meta_overall_size) return `Total metadata too large; max ${c.max_meta_overall_size}`;
  }
  return undefined;
}
