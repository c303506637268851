import { NotFoundError } from '@nimbus/errors';
import { type Route, route } from '@nimbus/http';
import { metadataBody, metaItemBody } from '../servers/server-schemas';
import {
  createFloatingIp,
  deleteFloatingIp,
  listFloatingIpPools,
  listFloatingIps,
  showFloatingIp,
} from './floating-ip-controller';
import { deleteImage, detailImages, listImages, showImage } from './image-controller';
import {
  createImageMetadata,
  deleteImageMetadataItem,
  listImageMetadata,
  replaceImageMetadata,
  showImageMetadata,
  updateImageMetadataItem,
} from './image-metadata-controller';
import {
  listNetworks,
  listTenantNetworks,
  networkGone,
  showNetwork,
  showTenantNetwork,
} from './network-controller';
import {
  createSecurityGroup,
  deleteSecurityGroup,
  listSecurityGroups,
  listServerSecurityGroups,
  showSecurityGroup,
  updateSecurityGroup,
} from './security-group-controller';
import { createSecurityGroupRule, deleteSecurityGroupRule } from './security-group-rule-controller';

const V = '/v2.1';

/** A method Nova's mapper has no route for on a path that has others: 404, as Nova answers (not 405). */
function noRoute(): never {
  throw new NotFoundError('The resource could not be found.');
}
/** The last microversion of the proxy APIs (2.36 removed them). */
const PROXY = { until: '2.35' };
/** The image metadata proxy lasted until 2.38 (2.39 removed it). */
const IMAGE_META = { until: '2.38' };

/**
 * Nova's deprecated proxy APIs: security groups, floating IPs, networks and images as Nova shows
 * them, each answered through the network or image service's own API with the caller's token.
 */
export const proxyRoutes: Route[] = [
  route('GET', `${V}/os-security-groups`, listSecurityGroups, PROXY),
  route('POST', `${V}/os-security-groups`, createSecurityGroup, PROXY),
  route('DELETE', `${V}/os-security-groups`, noRoute),
  route('GET', `${V}/os-security-groups/:group_id`, showSecurityGroup, PROXY),
  route('PUT', `${V}/os-security-groups/:group_id`, updateSecurityGroup, PROXY),
  route('DELETE', `${V}/os-security-groups/:group_id`, deleteSecurityGroup, PROXY),
  route('POST', `${V}/os-security-group-rules`, createSecurityGroupRule, PROXY),
  route('DELETE', `${V}/os-security-group-rules/:rule_id`, deleteSecurityGroupRule, PROXY),
  route('GET', `${V}/servers/:server_id/os-security-groups`, listServerSecurityGroups),

  route('GET', `${V}/os-floating-ips`, listFloatingIps, PROXY),
  route('POST', `${V}/os-floating-ips`, createFloatingIp, PROXY),
  route('GET', `${V}/os-floating-ips/:floating_ip_id`, showFloatingIp, PROXY),
  route('DELETE', `${V}/os-floating-ips/:floating_ip_id`, deleteFloatingIp, PROXY),
  route('GET', `${V}/os-floating-ip-pools`, listFloatingIpPools, PROXY),

  route('GET', `${V}/os-networks`, listNetworks, PROXY),
  route('POST', `${V}/os-networks`, networkGone),
  route('POST', `${V}/os-networks/add`, networkGone),
  route('GET', `${V}/os-networks/:network_id`, showNetwork, PROXY),
  route('DELETE', `${V}/os-networks/:network_id`, networkGone),
  route('POST', `${V}/os-networks/:network_id/action`, networkGone),
  route('GET', `${V}/os-tenant-networks`, listTenantNetworks, PROXY),
  route('POST', `${V}/os-tenant-networks`, networkGone),
  route('GET', `${V}/os-tenant-networks/:network_id`, showTenantNetwork, PROXY),
  route('DELETE', `${V}/os-tenant-networks/:network_id`, networkGone),

  route('GET', `${V}/images`, listImages, PROXY),
  route('DELETE', `${V}/images`, noRoute),
  route('GET', `${V}/images/detail`, detailImages, PROXY),
  route('GET', `${V}/images/:image_id`, showImage, PROXY),
  route('DELETE', `${V}/images/:image_id`, deleteImage, { ...PROXY, status: 204 }),
  route('GET', `${V}/images/:image_id/metadata`, listImageMetadata, IMAGE_META),
  route('POST', `${V}/images/:image_id/metadata`, createImageMetadata, { ...IMAGE_META, body: metadataBody }),
  route('PUT', `${V}/images/:image_id/metadata`, replaceImageMetadata, { ...IMAGE_META, body: metadataBody }),
  route('GET', `${V}/images/:image_id/metadata/:key`, showImageMetadata, IMAGE_META),
  route('PUT', `${V}/images/:image_id/metadata/:key`, updateImageMetadataItem, {
    ...IMAGE_META,
    body: metaItemBody,
  }),
  route('DELETE', `${V}/images/:image_id/metadata/:key`, deleteImageMetadataItem, IMAGE_META),
];
