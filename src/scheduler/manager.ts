// select_destinations: request → placement allocation candidates → HostStates → filters →
// weighers → claim in placement (the next best host when a claim loses a race) → the chosen host
// and alternates for each instance. A multi-create is scheduled as one request: every chosen
// instance is accounted on its host before the next is placed.
import type { Logger } from '../common/log.ts';
import { NoValidHost } from './errors.ts';
import { resolveFilters } from './filters/index.ts';
import {
  consume,
  type HostManagerDeps,
  hostStatesFor,
  nodeUuidsOfHost,
  type ProviderSummaries,
} from './host-manager.ts';
import { filterHosts, pickHosts, weighHosts } from './host-selection.ts';
import { rebuildCheck } from './rebuild-check.ts';
import { type AllocationRequest, rootProviderOf, type Selection } from './selection.ts';
import type { HostFilter, HostState, HostWeigher, RequestSpec, SchedulerContext } from './types.ts';
import { resolveWeighers } from './weighers/index.ts';

/** The placement calls the scheduler makes (src/placement-client provides them over HTTP). */
export interface SchedulerPlacement {
  candidates(
    spec: RequestSpec,
    opts: { readonly inTree?: string; readonly limit: number },
  ): Promise<{ allocation_requests: AllocationRequest[]; provider_summaries: ProviderSummaries }>;
  /** Claims for the consumer; false when the resources are gone (lost a race). */
  claim(consumer: string, req: AllocationRequest, projectId: string, userId: string): Promise<boolean>;
  release(consumer: string): Promise<void>;
}

export interface SchedulerManagerDeps extends HostManagerDeps {
  readonly placement: SchedulerPlacement;
  readonly log: Logger;
  readonly random?: () => number;
}

export interface SelectArgs {
  readonly spec: RequestSpec;
  readonly instance_uuids: readonly string[];
  readonly return_alternates: boolean;
}

function pluginsFrom(deps: SchedulerManagerDeps): { filters: HostFilter[]; weighers: HostWeigher[] } {
  const fs = deps.conf.filter_scheduler;
  return { filters: resolveFilters(fs.enabled_filters), weighers: resolveWeighers(fs.weight_classes) };
}

/** The host (and node) a request is forced to, if any: force_hosts/nodes or requested_destination. */
function forcedHost(spec: RequestSpec): { host: string; node: string | null } | undefined {
  const host = spec.force_hosts[0] ?? spec.requested_destination?.host ?? undefined;
  if (!host) return undefined;
  return { host, node: spec.force_nodes[0] ?? spec.requested_destination?.node ?? null };
}

export async function selectDestinations(
  deps: SchedulerManagerDeps,
  args: SelectArgs,
): Promise<Selection[][]> {
  const { spec } = args;
  if (spec.operation === 'rebuild') return rebuildCheck(deps, spec);
  const uuids = args.instance_uuids.length > 0 ? args.instance_uuids : [spec.instance_uuid];
  const forced = forcedHost(spec);
  let inTree: string | undefined;
  if (forced) {
    const nodes = await nodeUuidsOfHost(deps, forced.host, forced.node);
    if (nodes.length === 0) throw new NoValidHost(`Host ${forced.host} is not a known compute host.`);
    inTree = nodes[0].uuid;
  }
  const cand = await deps.placement.candidates(spec, {
    ...(inTree ? { inTree } : {}),
    limit: deps.conf.scheduler.max_placement_results,
  });
  if (cand.allocation_requests.length === 0) throw new NoValidHost('There are not enough hosts available.');
  const reqsByNode = new Map<string, AllocationRequest[]>();
  for (const r of cand.allocation_requests) {
    const rp = rootProviderOf(r);
    if (rp) reqsByNode.set(rp, [...(reqsByNode.get(rp) ?? []), r]);
  }
  const h = spec.scheduler_hints;
  const withInstances = !!(h.same_host || h.different_host || h.query || spec.instance_group);
  let hosts = await hostStatesFor(deps, [...reqsByNode.keys()], cand.provider_summaries, { withInstances });
  const tried = new Set((spec.retry?.hosts ?? []).map(([h, n]) => `${h}/${n}`));
  const ignore = new Set(spec.ignore_hosts);
  // The requested availability zone always narrows the hosts (upstream's placement AZ prefilter).
  const az = spec.availability_zone;
  hosts = hosts.filter(
    (h) =>
      !ignore.has(h.host) &&
      !tried.has(`${h.host}/${h.nodename}`) &&
      (!az || h.availability_zone.split(',').includes(az)),
  );
  const ctx: SchedulerContext = { conf: deps.conf, projectId: spec.project_id };
  const { filters, weighers } = pluginsFrom(deps);
  const maxAlternates = args.return_alternates ? Math.max(0, deps.conf.scheduler.max_attempts - 1) : 0;
  const claimed: string[] = [];
  const out: Selection[][] = [];
  let current = spec;
  try {
    for (const uuid of uuids) {
      const passing = forced ? hosts : filterHosts(hosts, current, filters, ctx);
      const weighed = weighHosts(passing, current, weighers, ctx);
      const ordered = pickHosts(
        weighed,
        deps.conf.filter_scheduler.host_subset_size,
        deps.conf.filter_scheduler.shuffle_best_same_weighed_hosts,
        deps.random,
      );
      let chosen: { host: HostState; req: AllocationRequest } | undefined;
      for (const h of ordered) {
        for (const req of reqsByNode.get(h.uuid) ?? []) {
          if (await deps.placement.claim(uuid, req, spec.project_id, spec.user_id)) {
            chosen = { host: h, req };
            break;
          }
        }
        if (chosen) break;
      }
      if (!chosen) throw new NoValidHost('There are not enough hosts available.');
      claimed.push(uuid);
      const alternates = ordered
        .filter((h) => h.uuid !== chosen.host.uuid && h.cell_uuid === chosen.host.cell_uuid)
        .slice(0, maxAlternates)
        .map((h) => selectionOf(h, reqsByNode.get(h.uuid)?.[0] ?? null));
      out.push([selectionOf(chosen.host, chosen.req), ...alternates]);
      hosts = hosts.map((h) => (h.uuid === chosen.host.uuid ? consume(h, spec.flavor, uuid) : h));
      if (current.instance_group)
        current = {
          ...current,
          instance_group: {
            ...current.instance_group,
            hosts: [...current.instance_group.hosts, chosen.host.host],
            members: [...current.instance_group.members, uuid],
          },
        };
    }
  } catch (err) {
    // All or nothing: a multi-create that cannot place every instance places none.
    for (const uuid of claimed) await deps.placement.release(uuid).catch(() => {});
    throw err;
  }
  return out;
}

function selectionOf(h: HostState, req: AllocationRequest | null): Selection {
  return {
    service_host: h.host,
    nodename: h.nodename,
    compute_node_uuid: h.uuid,
    cell_uuid: h.cell_uuid,
    allocation_request: req ? JSON.stringify(req) : null,
    allocation_request_version: req ? '1.36' : null,
    limits: null,
  };
}
