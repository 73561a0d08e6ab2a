// routers and floatingips: the records. Interfaces are ports (device_owner network:router_interface,
// device_id = the router); a gateway is the port gw_port_id names.
import type { Selectable } from 'kysely';
import type { FloatingIpsTable, RoutersTable } from '../../db/tables/network-db.ts';
import { toDbTime } from '../../db/time.ts';
import { toBool } from '../../db/values.ts';
import type { Db } from '../context.ts';
import type { FloatingIp, HostRoute, Router } from '../model.ts';
import { parseJson, stamp, standardOf } from './rows.ts';

const toRouter = (r: Selectable<RoutersTable>): Router =>
  Object.freeze({
    ...standardOf(r),
    name: r.name,
    description: r.description,
    status: r.status,
    admin_state_up: toBool(r.admin_state_up),
    gw_port_id: r.gw_port_id,
    enable_snat: toBool(r.enable_snat),
    routes: parseJson<HostRoute[]>(r.routes, []),
  });

export async function findRouter(db: Db, id: string): Promise<Router | undefined> {
  const row = await db.kysely.selectFrom('routers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRouter(row) : undefined;
}

export async function listRouters(db: Db, project: string | undefined): Promise<Router[]> {
  let q = db.kysely.selectFrom('routers').selectAll();
  if (project !== undefined) q = q.where('project_id', '=', project);
  return (await q.execute()).map(toRouter);
}

export async function insertRouter(
  db: Db,
  r: Pick<Router, 'id' | 'project_id' | 'name' | 'description' | 'admin_state_up'>,
  now: Date,
): Promise<void> {
  await db.kysely
    .insertInto('routers')
    .values({ ...r, status: 'ACTIVE', gw_port_id: null, enable_snat: true, routes: '[]', ...stamp(now) })
    .execute();
}

export type RouterChanges = Partial<
  Pick<Router, 'name' | 'description' | 'admin_state_up' | 'gw_port_id' | 'enable_snat' | 'routes'>
>;

export async function updateRouter(db: Db, r: Router, c: RouterChanges, now: Date): Promise<void> {
  const { routes, ...plain } = c;
  await db.kysely
    .updateTable('routers')
    .set({
      ...plain,
      ...(routes ? { routes: JSON.stringify(routes) } : {}),
      updated_at: toDbTime(now),
      revision_number: r.revision_number + 1,
    })
    .where('id', '=', r.id)
    .execute();
}

export async function deleteRouterRow(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('auto_allocated_topologies').where('router_id', '=', id).execute();
  await db.kysely.deleteFrom('routers').where('id', '=', id).execute();
}

const toFip = (r: Selectable<FloatingIpsTable>): FloatingIp =>
  Object.freeze({
    ...standardOf(r),
    description: r.description,
    floating_network_id: r.floating_network_id,
    floating_ip_address: r.floating_ip_address,
    floating_port_id: r.floating_port_id,
    fixed_port_id: r.fixed_port_id,
    fixed_ip_address: r.fixed_ip_address,
    router_id: r.router_id,
    status: r.status,
  });

export async function findFloatingIp(db: Db, id: string): Promise<FloatingIp | undefined> {
  const row = await db.kysely.selectFrom('floatingips').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toFip(row) : undefined;
}

export async function listFloatingIps(db: Db, project: string | undefined): Promise<FloatingIp[]> {
  let q = db.kysely.selectFrom('floatingips').selectAll();
  if (project !== undefined) q = q.where('project_id', '=', project);
  return (await q.execute()).map(toFip);
}

export async function floatingIpsOfRouter(db: Db, routerId: string): Promise<FloatingIp[]> {
  return (
    await db.kysely.selectFrom('floatingips').selectAll().where('router_id', '=', routerId).execute()
  ).map(toFip);
}

export async function insertFloatingIp(
  db: Db,
  f: Omit<FloatingIp, 'created_at' | 'updated_at' | 'revision_number'>,
  now: Date,
): Promise<void> {
  await db.kysely
    .insertInto('floatingips')
    .values({ ...f, ...stamp(now) })
    .execute();
}

export type Association = Pick<FloatingIp, 'fixed_port_id' | 'fixed_ip_address' | 'router_id' | 'status'>;

export async function updateFloatingIp(
  db: Db,
  f: FloatingIp,
  c: Partial<Association> & { description?: string },
  now: Date,
): Promise<void> {
  await db.kysely
    .updateTable('floatingips')
    .set({ ...c, updated_at: toDbTime(now), revision_number: f.revision_number + 1 })
    .where('id', '=', f.id)
    .execute();
}

export async function deleteFloatingIpRow(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('floatingips').where('id', '=', id).execute();
}
