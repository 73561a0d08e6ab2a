// Members of the request's server group already on a host, when the group has the given policy
// (the soft-affinity weighers' raw weight).
import type { HostState, RequestSpec } from '../types.ts';

export function groupMembersOnHost(host: HostState, spec: RequestSpec, policy: string): number {
  const group = spec.instance_group;
  if (!group || group.policy !== policy) return 0;
  const members = new Set(group.members);
  return host.instances.filter((u) => members.has(u)).length;
}
