// The host weigher registry: each weigher by its upstream class name, and resolution of the
// [filter_scheduler] weight_classes names — nova.scheduler.weights.all_weighers (every weigher
// here, in registry order), plain names, or dotted paths whose last part names the weigher.
import type { HostWeigher } from '../types.ts';
import { BuildFailureWeigher } from './build-failure-weigher.ts';
import { CPUWeigher } from './cpu-weigher.ts';
import { CrossCellWeigher } from './cross-cell-weigher.ts';
import { DiskWeigher } from './disk-weigher.ts';
import { HypervisorVersionWeigher } from './hypervisor-version-weigher.ts';
import { ImagePropertiesWeigher } from './image-properties-weigher.ts';
import { IoOpsWeigher } from './io-ops-weigher.ts';
import { NumInstancesWeigher } from './num-instances-weigher.ts';
import { RAMWeigher } from './ram-weigher.ts';
import { ServerGroupSoftAffinityWeigher } from './server-group-soft-affinity-weigher.ts';
import { ServerGroupSoftAntiAffinityWeigher } from './server-group-soft-anti-affinity-weigher.ts';

const ALL: readonly HostWeigher[] = [
  RAMWeigher,
  CPUWeigher,
  DiskWeigher,
  IoOpsWeigher,
  NumInstancesWeigher,
  HypervisorVersionWeigher,
  ServerGroupSoftAffinityWeigher,
  ServerGroupSoftAntiAffinityWeigher,
  BuildFailureWeigher,
  CrossCellWeigher,
  ImagePropertiesWeigher,
];

export const WEIGHERS: Readonly<Record<string, HostWeigher>> = Object.freeze(
  Object.fromEntries(ALL.map((w) => [w.name, w])),
);

const ALL_WEIGHERS = 'all_weighers';

/** The weighers these names denote, in order (blank names skipped); throws naming an unknown one. */
export function resolveWeighers(names: readonly string[]): HostWeigher[] {
  return names
    .filter((n) => n.trim() !== '')
    .flatMap((raw) => {
      const name = raw.trim().split('.').at(-1) ?? '';
      if (name === ALL_WEIGHERS) return [...ALL];
      const weigher = Object.hasOwn(WEIGHERS, name) ? WEIGHERS[name] : undefined;
      if (!weigher)
        throw new Error(
          `Unknown scheduler weigher "${raw}" (from [filter_scheduler] weight_classes); ` +
            `known weighers: ${Object.keys(WEIGHERS).join(', ')}, or nova.scheduler.weights.all_weighers`,
        );
      return [weigher];
    });
}
