import type { ImportPlugin, PluginContext } from './import-plugin';

/**
 * `inject_image_metadata`: sets the configured additional properties on imported images, unless
 * the importing user has one of `ignoreRoles` (admins by default).
 */
export function injectMetadata(
  inject: Readonly<Record<string, string>>,
  ignoreRoles: readonly string[],
): ImportPlugin {
  return {
    name: 'inject_image_metadata',
    async run({ image, roles, update }: PluginContext): Promise<void> {
      if (!Object.keys(inject).length || roles.some((r) => ignoreRoles.includes(r))) return;
      await update({ properties: { ...image.properties, ...inject } });
    },
  };
}
