// ServerGroupSoftAffinityWeigher: for a `soft-affinity` group, prefers hosts holding more of the
// group's members.
import type { HostWeigher } from '../types.ts';
import { groupMembersOnHost } from './group-members.ts';
import { weightMultiplier } from './multiplier.ts';

export const ServerGroupSoftAffinityWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'ServerGroupSoftAffinityWeigher',
  multiplier: (host, ctx) =>
    weightMultiplier(
      host,
      'soft_affinity_weight_multiplier',
      ctx.conf.filter_scheduler.soft_affinity_weight_multiplier,
    ),
  weigh: (host, spec) => groupMembersOnHost(host, spec, 'soft-affinity'),
});
