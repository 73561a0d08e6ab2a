// The route table (upstream ROUTE_DECLARATIONS): path → method → handler, with microversion ranges
// as data. Paths carry no patterns: a bad uuid or name is a 404 from the handler, with a reason.
import * as aggregate from './handlers/aggregate.ts';
import * as allocation from './handlers/allocation.ts';
import * as candidates from './handlers/allocation-candidate.ts';
import * as inventory from './handlers/inventory.ts';
import * as reshaper from './handlers/reshaper.ts';
import * as rc from './handlers/resource-class.ts';
import * as rp from './handlers/resource-provider.ts';
import * as root from './handlers/root.ts';
import * as trait from './handlers/trait.ts';
import * as usage from './handlers/usage.ts';
import type { RouteTable } from './router.ts';

export const ROUTES: RouteTable = Object.freeze({
  '/': { GET: { handler: root.home } },
  '/resource_classes': {
    GET: { handler: rc.listResourceClasses, min: '1.2', json: 'accept' },
    POST: { handler: rc.createResourceClass, min: '1.2', json: 'content' },
  },
  '/resource_classes/:name': {
    GET: { handler: rc.getResourceClass, min: '1.2', json: 'accept' },
    PUT: [
      { handler: rc.renameResourceClass, min: '1.2', max: '1.6', json: 'content' },
      { handler: rc.putResourceClass, min: '1.7' },
    ],
    DELETE: { handler: rc.deleteResourceClass, min: '1.2' },
  },
  '/resource_providers': {
    GET: { handler: rp.listResourceProviders, json: 'accept' },
    POST: { handler: rp.createResourceProvider, json: 'content' },
  },
  '/resource_providers/:uuid': {
    GET: { handler: rp.getResourceProvider, json: 'accept' },
    DELETE: { handler: rp.deleteResourceProvider },
    PUT: { handler: rp.updateResourceProvider, json: 'content' },
  },
  '/resource_providers/:uuid/inventories': {
    GET: { handler: inventory.getInventories, json: 'accept' },
    POST: { handler: inventory.createInventory, json: 'content' },
    PUT: { handler: inventory.setInventories, json: 'content' },
    DELETE: { handler: inventory.deleteInventories, min: '1.5', outOfRange: 405 },
  },
  '/resource_providers/:uuid/inventories/:resource_class': {
    GET: { handler: inventory.getInventory, json: 'accept' },
    PUT: { handler: inventory.updateInventory, json: 'content' },
    DELETE: { handler: inventory.deleteInventoryOfClass },
  },
  '/resource_providers/:uuid/usages': { GET: { handler: usage.listProviderUsages, json: 'accept' } },
  '/resource_providers/:uuid/aggregates': {
    GET: { handler: aggregate.getAggregates, min: '1.1', json: 'accept' },
    PUT: { handler: aggregate.setAggregates, min: '1.1', json: 'content' },
  },
  '/resource_providers/:uuid/allocations': { GET: { handler: allocation.listForProvider, json: 'accept' } },
  '/allocations': { POST: { handler: allocation.postAllocations, min: '1.13', json: 'content' } },
  '/allocations/:consumer_uuid': {
    GET: { handler: allocation.listForConsumer, json: 'accept' },
    PUT: { handler: allocation.putForConsumer, json: 'content' },
    DELETE: { handler: allocation.deleteForConsumer },
  },
  '/allocation_candidates': {
    GET: { handler: candidates.listAllocationCandidates, min: '1.10', json: 'accept' },
  },
  '/traits': { GET: { handler: trait.listAllTraits, min: '1.6', json: 'accept' } },
  '/traits/:name': {
    GET: { handler: trait.getOneTrait, min: '1.6' },
    PUT: { handler: trait.putTrait, min: '1.6' },
    DELETE: { handler: trait.deleteOneTrait, min: '1.6' },
  },
  '/resource_providers/:uuid/traits': {
    GET: { handler: trait.listProviderTraits, min: '1.6', json: 'accept' },
    PUT: { handler: trait.setProviderTraits, min: '1.6', json: 'content' },
    DELETE: { handler: trait.deleteProviderTraits, min: '1.6' },
  },
  '/usages': { GET: { handler: usage.getTotalUsages, min: '1.9', json: 'accept' } },
  '/reshaper': { POST: { handler: reshaper.reshape, min: '1.30', json: 'content' } },
});
