import { imageConversion } from './image-conversion';
import { imageDecompression } from './image-decompression';
import type { ImportPlugin } from './import-plugin';
import { injectMetadata } from './inject-metadata';

/** The settings the plugins read. */
export interface PluginSettings {
  outputFormat: string;
  vmdkAllowedTypes: readonly string[];
  /** `key:value` pairs to inject. */
  inject: readonly string[];
  ignoreRoles: readonly string[];
}

/** The configured plugins by upstream name, in order; an unknown name stops the service starting. */
export function importPlugins(names: readonly string[], s: PluginSettings): ImportPlugin[] {
  const inject = Object.fromEntries(
    s.inject.map((pair) => {
      const at = pair.indexOf(':');
      if (at <= 0) throw new Error(`[inject_metadata_properties] inject: '${pair}' is not key:value`);
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    }),
  );
  return names.map((name) => {
    switch (name) {
      case 'image_decompression':
        return imageDecompression;
      case 'image_conversion':
        return imageConversion(s.outputFormat, s.vmdkAllowedTypes);
      case 'inject_image_metadata':
        return injectMetadata(inject, s.ignoreRoles);
      case 'no_op':
        return { name, run: async () => undefined };
      default:
        throw new Error(`[image_import_opts] image_import_plugins: unknown plugin '${name}'`);
    }
  });
}
