import type { Route } from '@nimbus/http';
import { imageDataRoutes } from './data/image-data-controller';
import { imageRoutes } from './images/image-controller';
import { memberRoutes } from './members/member-controller';
import { metadefRoutes } from './metadefs/metadef-controller';
import { schemaRoutes } from './schemas/schema-controller';
import { taskRoutes } from './tasks/task-controller';
import { cacheRoutes } from './cache/cache-controller';
import { versionRoutes } from './version/version-controller';

/** Every route of the image API (Glance v2). */
export const imageApiRoutes: Route[] = [
  ...versionRoutes,
  ...schemaRoutes,
  ...imageRoutes,
  ...imageDataRoutes,
  ...memberRoutes,
  ...metadefRoutes,
  ...taskRoutes,
  ...cacheRoutes,
];
