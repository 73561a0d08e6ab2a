// ServerGroupAffinityFilter: members of an `affinity` group go to the host(s) the group already
// uses; the first member may go anywhere.
import type { HostFilter } from '../types.ts';

export const ServerGroupAffinityFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'ServerGroupAffinityFilter',
  hostPasses: (host, spec) => {
    const group = spec.instance_group;
    if (group?.policy !== 'affinity') return true;
    return group.hosts.length === 0 || group.hosts.includes(host.host);
  },
});
