// ServerGroupAntiAffinityFilter: members of an `anti-affinity` group spread out — a host passes
// while it holds fewer of the group's members than the group's max_server_per_host rule (1 when
// unset). A host already holding the instance itself (a move onto the same host) passes.
import type { HostFilter, RequestGroupInfo } from '../types.ts';

function maxServerPerHost(group: RequestGroupInfo): number {
  const raw = group.rules?.max_server_per_host;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseInt(raw, 10) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : 1;
}

export const ServerGroupAntiAffinityFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'ServerGroupAntiAffinityFilter',
  hostPasses: (host, spec) => {
    const group = spec.instance_group;
    if (group?.policy !== 'anti-affinity') return true;
    if (host.instances.includes(spec.instance_uuid)) return true;
    const members = new Set(group.members);
    const onHost = host.instances.filter((u) => members.has(u)).length;
    return onHost < maxServerPerHost(group);
  },
});
