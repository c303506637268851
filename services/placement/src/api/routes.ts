import type { HttpMethod, Route } from '@nimbus/http';
import { PlacementMethodNotAllowed, PlacementNotFound } from '../manager/placement-errors';
import { listAggregates, setAggregates } from './aggregate-controller';
import {
  deleteAllocations,
  postAllocations,
  providerAllocations,
  putAllocations,
  showAllocations,
} from './allocation-controller';
import { listAllocationCandidates } from './candidate-controller';
import {
  createInventory,
  deleteInventories,
  deleteInventory,
  listInventories,
  setInventories,
  showInventory,
  updateInventory,
} from './inventory-controller';
import { type PlacementHandler, type PlacementRouteOptions, placementRoute } from './placement-request';
import {
  createProvider,
  deleteProvider,
  listProviders,
  showProvider,
  updateProvider,
} from './provider-controller';
import { reshape } from './reshaper-controller';
import {
  createResourceClass,
  deleteResourceClass,
  listResourceClasses,
  putResourceClass,
  showResourceClass,
} from './resource-class-controller';
import { home } from './root-controller';
import {
  deleteProviderTraits,
  deleteTrait,
  listProviderTraits,
  listTraits,
  putTrait,
  setProviderTraits,
  showTrait,
} from './trait-controller';
import { providerUsages, totalUsages } from './usage-controller';

type Methods = Partial<Record<HttpMethod, PlacementHandler | [PlacementHandler, PlacementRouteOptions]>>;

/** Placement's route table: path → method → handler (and the first microversion that has it). */
export const placementRouteTable: Record<string, Methods> = {
  '/': { GET: [home, { public: true }] },
  '/resource_classes': {
    GET: [listResourceClasses, { since: '1.2' }],
    POST: [createResourceClass, { since: '1.2', json: true }],
  },
  '/resource_classes/:name': {
    GET: [showResourceClass, { since: '1.2' }],
    PUT: [putResourceClass, { since: '1.2' }],
    DELETE: [deleteResourceClass, { since: '1.2' }],
  },
  '/resource_providers': { GET: listProviders, POST: [createProvider, { json: true }] },
  '/resource_providers/:uuid': {
    GET: showProvider,
    PUT: [updateProvider, { json: true }],
    DELETE: deleteProvider,
  },
  '/resource_providers/:uuid/inventories': {
    GET: listInventories,
    POST: [createInventory, { json: true }],
    PUT: [setInventories, { json: true }],
    DELETE: deleteInventoriesSince15,
  },
  '/resource_providers/:uuid/inventories/:resource_class': {
    GET: showInventory,
    PUT: [updateInventory, { json: true }],
    DELETE: deleteInventory,
  },
  '/resource_providers/:uuid/usages': { GET: providerUsages },
  '/resource_providers/:uuid/aggregates': {
    GET: [listAggregates, { since: '1.1' }],
    PUT: [setAggregates, { since: '1.1', json: true }],
  },
  '/resource_providers/:uuid/allocations': { GET: providerAllocations },
  '/allocations': { POST: [postAllocations, { since: '1.13', json: true }] },
  '/allocations/:consumer_uuid': {
    GET: showAllocations,
    PUT: [putAllocations, { json: true }],
    DELETE: deleteAllocations,
  },
  '/allocation_candidates': { GET: [listAllocationCandidates, { since: '1.10' }] },
  '/traits': { GET: [listTraits, { since: '1.6' }] },
  '/traits/:name': {
    GET: [showTrait, { since: '1.6' }],
    PUT: [putTrait, { since: '1.6' }],
    DELETE: [deleteTrait, { since: '1.6' }],
  },
  '/resource_providers/:uuid/traits': {
    GET: [listProviderTraits, { since: '1.6' }],
    PUT: [setProviderTraits, { since: '1.6', json: true }],
    DELETE: [deleteProviderTraits, { since: '1.6' }],
  },
  '/usages': { GET: [totalUsages, { since: '1.9' }] },
  '/reshaper': { POST: [reshape, { since: '1.30', json: true }] },
};

/** DELETE .../inventories exists from 1.5; before, the method is not allowed (as upstream). */
function deleteInventoriesSince15(req: Parameters<PlacementHandler>[0]) {
  if (!req.atLeast('1.5')) throw new PlacementMethodNotAllowed('GET, POST, PUT, DELETE');
  return deleteInventories(req);
}

const ANSWERED: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Every route of the API: the table's, a 405 (with `Allow`) for the other methods of each path,
 * and a 404 for any other path, all answered with Placement's headers and error body.
 */
export const placementRoutes: Route[] = [
  ...Object.entries(placementRouteTable).flatMap(([path, methods]) => {
    const allow = Object.keys(methods).join(', ');
    const declared = Object.entries(methods).map(([method, entry]) => {
      const [handler, options] = Array.isArray(entry) ? entry : [entry!, {}];
      return placementRoute(method as HttpMethod, path, handler, options);
    });
    const refused = ANSWERED.filter((m) => !(m in methods)).map((method) =>
      placementRoute(
        method,
        path,
        () => {
          throw new PlacementMethodNotAllowed(allow);
        },
        { public: true },
      ),
    );
    return [...declared, ...refused];
  }),
  ...ANSWERED.map((method) =>
    placementRoute(
      method,
      '/*',
      () => {
        throw new PlacementNotFound('The resource could not be found.');
      },
      { public: true },
    ),
  ),
];
