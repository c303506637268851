import { jsonReply } from './replies';
import { PLACEMENT_VERSIONS, type PlacementRequest } from './placement-request';

/** GET /: the one version document, with the microversion range. */
export function home(req: PlacementRequest) {
  return jsonReply(req, {
    versions: [
      {
        id: `v${PLACEMENT_VERSIONS.min}`,
        max_version: PLACEMENT_VERSIONS.max,
        min_version: PLACEMENT_VERSIONS.min,
        status: 'CURRENT',
        links: [{ rel: 'self', href: '' }],
      },
    ],
  });
}
