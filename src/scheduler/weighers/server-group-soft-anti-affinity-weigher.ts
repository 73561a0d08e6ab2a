// ServerGroupSoftAntiAffinityWeigher: for a `soft-anti-affinity` group, prefers hosts holding fewer
// of the group's members (the raw weight is minus their count).
import type { HostWeigher } from '../types.ts';
import { groupMembersOnHost } from './group-members.ts';
import { weightMultiplier } from './multiplier.ts';

export const ServerGroupSoftAntiAffinityWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'ServerGroupSoftAntiAffinityWeigher',
  multiplier: (host, ctx) =>
    weightMultiplier(
      host,
      'soft_anti_affinity_weight_multiplier',
      ctx.conf.filter_scheduler.soft_anti_affinity_weight_multiplier,
    ),
  weigh: (host, spec) => 0 - groupMembersOnHost(host, spec, 'soft-anti-affinity'),
});
