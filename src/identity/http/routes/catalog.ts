// The catalog API: /v3/services, /v3/endpoints, /v3/regions. An endpoint naming an unknown region
// creates it, as Keystone does.
import type { FastifyInstance } from 'fastify';
import { invalid, notFound } from '../../errors.ts';
import * as catalog from '../../store/catalog.ts';
import { extraOf, newId } from '../../store/common.ts';
import {
  authorize,
  entity,
  type Json,
  optBool,
  optNullableString,
  optString,
  params,
  queryBool,
  queryOf,
  queryStr,
  type RouteCtx,
  reqString,
} from '../context.ts';
import { endpointView, regionView, serviceView } from '../views/entities.ts';
import { collection } from '../views/links.ts';

function iface(v: unknown): catalog.Interface | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !catalog.INTERFACES.includes(v as catalog.Interface))
    throw invalid(
      `Invalid input for field 'interface': ${JSON.stringify(v)} is not one of ['admin', 'internal', 'public']`,
    );
  return v as catalog.Interface;
}

function serviceRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const db = ctx.svc.core.db;
  const KNOWN = ['id', 'type', 'name', 'enabled', 'description'];
  app.post('/v3/services', async (req, reply) => {
    authorize(ctx, req, 'create_service');
    const b = entity(req.body, 'service');
    const s = await catalog.createService(db, {
      type: reqString(b, 'type', 'service'),
      name: optNullableString(b, 'name'),
      enabled: optBool(b, 'enabled'),
      description: optNullableString(b, 'description'),
      extra: extraOf(b, KNOWN),
    });
    reply.status(201);
    return { service: serviceView(ctx.base(req), s) };
  });
  app.get('/v3/services', async (req) => {
    authorize(ctx, req, 'list_services');
    const list = await catalog.listServices(db, {
      type: queryStr(req.query, 'type'),
      name: queryStr(req.query, 'name'),
    });
    const base = ctx.base(req);
    return collection(
      base,
      'services',
      'services',
      list.map((s) => serviceView(base, s)),
      queryOf(req),
    );
  });
  app.get('/v3/services/:service_id', async (req) => {
    authorize(ctx, req, 'get_service');
    return { service: serviceView(ctx.base(req), await catalog.getService(db, params(req).service_id)) };
  });
  app.patch('/v3/services/:service_id', async (req) => {
    authorize(ctx, req, 'update_service');
    const b = entity(req.body, 'service');
    const s = await catalog.updateService(db, params(req).service_id, {
      type: optString(b, 'type'),
      name: optNullableString(b, 'name'),
      enabled: optBool(b, 'enabled'),
      description: optNullableString(b, 'description'),
      extra: extraOf(b, KNOWN),
    });
    return { service: serviceView(ctx.base(req), s) };
  });
  app.delete('/v3/services/:service_id', async (req, reply) => {
    authorize(ctx, req, 'delete_service');
    await catalog.removeService(db, (await catalog.getService(db, params(req).service_id)).id);
    reply.status(204).send();
  });
}

async function regionOf(ctx: RouteCtx, b: Json): Promise<string | null | undefined> {
  const id = b.region_id !== undefined ? optNullableString(b, 'region_id') : optNullableString(b, 'region');
  if (id && !(await catalog.findRegion(ctx.svc.core.db, id)))
    await catalog.createRegion(ctx.svc.core.db, { id, description: '', parent_region_id: null });
  return id;
}

function endpointRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const db = ctx.svc.core.db;
  const KNOWN = ['id', 'service_id', 'interface', 'region_id', 'region', 'url', 'enabled'];
  app.post('/v3/endpoints', async (req, reply) => {
    authorize(ctx, req, 'create_endpoint');
    const b = entity(req.body, 'endpoint');
    const serviceId = reqString(b, 'service_id', 'endpoint');
    const face = iface(b.interface);
    if (!face) throw invalid("Invalid input for field 'endpoint': 'interface' is a required property");
    const url = reqString(b, 'url', 'endpoint');
    if (!(await catalog.findService(db, serviceId))) throw notFound('service', serviceId);
    const e = await catalog.createEndpoint(db, {
      service_id: serviceId,
      interface: face,
      url,
      region_id: (await regionOf(ctx, b)) ?? null,
      enabled: optBool(b, 'enabled'),
      extra: extraOf(b, KNOWN),
    });
    reply.status(201);
    return { endpoint: endpointView(ctx.base(req), e) };
  });
  app.get('/v3/endpoints', async (req) => {
    authorize(ctx, req, 'list_endpoints');
    const q = req.query;
    const list = await catalog.listEndpoints(db, {
      service_id: queryStr(q, 'service_id'),
      interface: queryStr(q, 'interface'),
      region_id: queryStr(q, 'region_id'),
      enabled: queryBool(queryStr(q, 'enabled')),
    });
    const base = ctx.base(req);
    return collection(
      base,
      'endpoints',
      'endpoints',
      list.map((e) => endpointView(base, e)),
      queryOf(req),
    );
  });
  app.get('/v3/endpoints/:endpoint_id', async (req) => {
    authorize(ctx, req, 'get_endpoint');
    return { endpoint: endpointView(ctx.base(req), await catalog.getEndpoint(db, params(req).endpoint_id)) };
  });
  app.patch('/v3/endpoints/:endpoint_id', async (req) => {
    authorize(ctx, req, 'update_endpoint');
    const cur = await catalog.getEndpoint(db, params(req).endpoint_id);
    const b = entity(req.body, 'endpoint');
    const serviceId = optString(b, 'service_id');
    if (serviceId && !(await catalog.findService(db, serviceId))) throw notFound('service', serviceId);
    const e = await catalog.updateEndpoint(db, cur.id, {
      service_id: serviceId,
      interface: iface(b.interface),
      url: optString(b, 'url'),
      region_id: await regionOf(ctx, b),
      enabled: optBool(b, 'enabled'),
      extra: extraOf(b, KNOWN),
    });
    return { endpoint: endpointView(ctx.base(req), e) };
  });
  app.delete('/v3/endpoints/:endpoint_id', async (req, reply) => {
    authorize(ctx, req, 'delete_endpoint');
    await catalog.removeEndpoint(db, (await catalog.getEndpoint(db, params(req).endpoint_id)).id);
    reply.status(204).send();
  });
}

function regionRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const db = ctx.svc.core.db;
  const KNOWN = ['id', 'description', 'parent_region_id'];
  const create = async (b: Json, id: string) => {
    const parent = optNullableString(b, 'parent_region_id') ?? null;
    if (parent && !(await catalog.findRegion(db, parent))) throw notFound('region', parent);
    return catalog.createRegion(db, {
      id,
      description: optString(b, 'description') ?? '',
      parent_region_id: parent,
      extra: extraOf(b, KNOWN),
    });
  };
  app.post('/v3/regions', async (req, reply) => {
    authorize(ctx, req, 'create_region');
    const b = entity(req.body, 'region');
    const r = await create(b, optString(b, 'id') ?? newId());
    reply.status(201);
    return { region: regionView(ctx.base(req), r) };
  });
  app.put('/v3/regions/:region_id', async (req, reply) => {
    authorize(ctx, req, 'create_region');
    const id = params(req).region_id;
    if (id.length > 255) throw invalid("Invalid input for field 'id': is too long");
    const r = await create(entity(req.body, 'region'), id);
    reply.status(201);
    return { region: regionView(ctx.base(req), r) };
  });
  app.get('/v3/regions', async (req) => {
    authorize(ctx, req, 'list_regions');
    const list = await catalog.listRegions(db, queryStr(req.query, 'parent_region_id'));
    const base = ctx.base(req);
    return collection(
      base,
      'regions',
      'regions',
      list.map((r) => regionView(base, r)),
      queryOf(req),
    );
  });
  app.get('/v3/regions/:region_id', async (req) => {
    authorize(ctx, req, 'get_region');
    return { region: regionView(ctx.base(req), await catalog.getRegion(db, params(req).region_id)) };
  });
  app.patch('/v3/regions/:region_id', async (req) => {
    authorize(ctx, req, 'update_region');
    const b = entity(req.body, 'region');
    const r = await catalog.updateRegion(db, params(req).region_id, {
      description: optString(b, 'description'),
      parent_region_id: optNullableString(b, 'parent_region_id'),
      extra: extraOf(b, KNOWN),
    });
    return { region: regionView(ctx.base(req), r) };
  });
  app.delete('/v3/regions/:region_id', async (req, reply) => {
    authorize(ctx, req, 'delete_region');
    await catalog.removeRegion(db, (await catalog.getRegion(db, params(req).region_id)).id);
    reply.status(204).send();
  });
}

export function catalogRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  serviceRoutes(app, ctx);
  endpointRoutes(app, ctx);
  regionRoutes(app, ctx);
}
