// What the servers API's move operations share: their dependencies, recording the instance action,
// the compute service of a host (exists? up?), and the migration a resize waits on.
import type { AuthContext } from '../../auth/types.ts';
import type { CellPool } from '../../cells/cell-pool.ts';
import type { CellRef } from '../../cells/lookup.ts';
import type { Clock } from '../../common/clock.ts';
import type { NovaConf } from '../../config/index.ts';
import type { Database } from '../../db/connect.ts';
import type { ApiDb } from '../../db/tables/api-db.ts';
import { Invalid } from '../../faults/fault.ts';
import type { Instance } from '../../objects/instance.ts';
import * as actions from '../../objects/instance-action.ts';
import * as migrations from '../../objects/migration.ts';
import * as services from '../../objects/service.ts';
import type { RequestContext } from '../../rpc/index.ts';
import type { ServersBackend } from './backend.ts';
import { rpcContext } from './delete.ts';

export interface MoveApiDeps {
  readonly conf: NovaConf;
  readonly apiDb: Database<ApiDb>;
  readonly cells: CellPool;
  readonly clock: Clock;
  readonly backend: ServersBackend;
}

/** One server action request: who asks, under which request id, on which instance. */
export interface Acting {
  readonly auth: AuthContext;
  readonly requestId: string;
  readonly cell: CellRef;
  readonly inst: Instance;
}

export const ctxOf = (a: Acting): RequestContext => rpcContext(a.auth, a.requestId);

export function recordAction(d: MoveApiDeps, a: Acting, name: string): Promise<number> {
  return actions.start(
    a.cell.db,
    a.inst.uuid,
    name,
    { request_id: a.requestId, user_id: a.auth.user_id, project_id: a.auth.project_id ?? null },
    d.clock.now(),
  );
}

/** The nova-compute service row of a host in the instance's cell (400 when there is none). */
export async function computeService(a: Acting, host: string): Promise<services.ServiceRecord> {
  const svc = await services.findByHostAndBinary(a.cell.db, host, 'nova-compute');
  if (!svc) throw new Invalid(`Compute host ${host} could not be found.`, 'nova.compute_host_not_found');
  return svc;
}

export function serviceIsUp(d: MoveApiDeps, svc: services.ServiceRecord): boolean {
  // isServiceUp already counts a forced-down service as down.
  return services.isServiceUp(svc, d.clock.now(), d.conf.DEFAULT.service_down_time);
}

/** The migration a RESIZED server waits on (status finished); 400 as upstream when none. */
export async function finishedResize(a: Acting): Promise<migrations.Migration> {
  const [m] = await migrations.list(a.cell.db, { instance_uuid: a.inst.uuid, status: ['finished'] });
  if (!m)
    throw new Invalid(
      `Migration not found for instance ${a.inst.uuid} with status finished.`,
      'nova.migration_not_found_by_status',
    );
  return m;
}
