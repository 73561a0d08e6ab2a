// [DEFAULT], assembled from its parts. Each part is a plain option map; the parts must not share
// names (options.test.ts checks that the sizes add up).
import { defineGroup } from '../../group.ts';
import { computeOpts } from './compute.ts';
import { intervalOpts } from './intervals.ts';
import { loggingOpts } from './logging.ts';
import { pathOpts, rpcOpts } from './paths-rpc.ts';
import { resourceOpts } from './resources.ts';
import { serviceOpts } from './service.ts';

export const DEFAULT_PARTS = [
  serviceOpts,
  pathOpts,
  rpcOpts,
  loggingOpts,
  computeOpts,
  resourceOpts,
  intervalOpts,
];

export const defaultGroup = defineGroup('DEFAULT', 'Common options', 'Options every nova-ts service reads.', {
  ...serviceOpts,
  ...pathOpts,
  ...rpcOpts,
  ...loggingOpts,
  ...computeOpts,
  ...resourceOpts,
  ...intervalOpts,
});
