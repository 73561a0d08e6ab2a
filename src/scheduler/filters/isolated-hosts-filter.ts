// IsolatedHostsFilter: [filter_scheduler] isolated_images run only on isolated_hosts; with
// restrict_isolated_hosts_to_isolated_images (default) those hosts take nothing else either.
import type { HostFilter } from '../types.ts';

export const IsolatedHostsFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'IsolatedHostsFilter',
  runOncePerRequest: true,
  runOnRebuild: true,
  hostPasses: (host, spec, ctx) => {
    const fs = ctx.conf.filter_scheduler;
    const restrict = fs.restrict_isolated_hosts_to_isolated_images;
    const hostIsolated = fs.isolated_hosts.includes(host.host);
    if (fs.isolated_images.length === 0) return !restrict || !hostIsolated;
    const imageIsolated = spec.image.id !== undefined && fs.isolated_images.includes(spec.image.id);
    return restrict ? imageIsolated === hostIsolated : !imageIsolated || hostIsolated;
  },
});
