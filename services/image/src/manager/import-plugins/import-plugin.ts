import type { ImageRecord } from '../../db/repositories/image-repository';

/** What an import plugin works on: the image, its staged file, and who imports it. */
export interface PluginContext {
  image: ImageRecord;
  /** Path of the staged data; a plugin may replace the file's content. */
  path: string;
  /** Roles of the importing user. */
  roles: readonly string[];
  /** Records changes to the image (formats, virtual size, additional properties). */
  update(
    changes: Partial<Pick<ImageRecord, 'diskFormat' | 'containerFormat' | 'virtualSize' | 'properties'>>,
  ): Promise<void>;
}

/**
 * An import plugin (Glance's `[image_import_opts] image_import_plugins`): runs on the staged data
 * of glance-direct, web-download and glance-download imports, in configuration order, before
 * the data goes into the stores. A plugin that throws fails the import.
 */
export interface ImportPlugin {
  readonly name: string;
  run(ctx: PluginContext): Promise<void>;
}
