// AggregateImagePropertiesIsolation: for each metadata key of the host's aggregates that the image
// also sets as a property, the image's value must be one of the aggregate's (comma-separated)
// values. With [filter_scheduler] aggregate_image_properties_isolation_namespace set, only keys
// starting with that namespace and the separator count.
import type { HostFilter } from '../types.ts';
import { aggregateMetadata } from './utils.ts';

export const AggregateImagePropertiesIsolation: HostFilter = Object.freeze<HostFilter>({
  name: 'AggregateImagePropertiesIsolation',
  runOncePerRequest: true,
  runOnRebuild: true,
  hostPasses: (host, spec, ctx) => {
    const fs = ctx.conf.filter_scheduler;
    const namespace = fs.aggregate_image_properties_isolation_namespace;
    const prefix = namespace ? namespace + (fs.aggregate_image_properties_isolation_separator ?? '.') : '';
    const props = spec.image.properties;
    for (const [key, options] of aggregateMetadata(host)) {
      if (prefix && !key.startsWith(prefix)) continue;
      const prop = Object.hasOwn(props, key) ? props[key] : undefined;
      if (prop && !options.has(String(prop))) return false;
    }
    return true;
  },
});
