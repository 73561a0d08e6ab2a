// A rebuild with a new image asks the scheduler whether the instance's own host still suits it:
// only the filters marked runOnRebuild run (image properties, isolation), on that host alone, and
// nothing is claimed (the instance keeps its allocations). NoValidHost when the host fails.
import { NoValidHost } from './errors.ts';
import { resolveFilters } from './filters/index.ts';
import { hostStatesFor, nodeUuidsOfHost } from './host-manager.ts';
import { filterHosts } from './host-selection.ts';
import type { SchedulerManagerDeps } from './manager.ts';
import type { Selection } from './selection.ts';
import type { RequestSpec } from './types.ts';

export async function rebuildCheck(deps: SchedulerManagerDeps, spec: RequestSpec): Promise<Selection[][]> {
  const host = spec.requested_destination?.host;
  if (!host) throw new NoValidHost('A rebuild check needs the instance host as requested destination.');
  const nodes = await nodeUuidsOfHost(deps, host, spec.requested_destination?.node ?? null);
  const hosts = await hostStatesFor(
    deps,
    nodes.map((n) => n.uuid),
    {},
  );
  const filters = resolveFilters(deps.conf.filter_scheduler.enabled_filters).filter((f) => f.runOnRebuild);
  const [ok] = filterHosts(hosts, spec, filters, { conf: deps.conf, projectId: spec.project_id });
  if (!ok) throw new NoValidHost(`Host ${host} does not suit the new image.`);
  return [
    [
      {
        service_host: ok.host,
        nodename: ok.nodename,
        compute_node_uuid: ok.uuid,
        cell_uuid: ok.cell_uuid,
        allocation_request: null,
        allocation_request_version: null,
        limits: null,
      },
    ],
  ];
}
