// Flavor views by microversion (upstream views/flavors.py).
import type { Flavor } from '../../../objects/flavor.ts';
import type { ApiVersion } from '../microversion.ts';
import type { Links } from '../routing/links.ts';

export function flavorBrief(f: Flavor, mv: ApiVersion, links: Links): Record<string, unknown> {
  return {
    id: f.flavorid,
    name: f.name,
    links: links.item('flavors', f.flavorid),
    ...(mv.atLeast('2.55') && { description: f.description }),
  };
}

export function flavorDetail(
  f: Flavor,
  mv: ApiVersion,
  links: Links,
  withSpecs: boolean,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: f.flavorid,
    name: f.name,
    ram: f.memory_mb,
    disk: f.root_gb,
    swap: mv.atLeast('2.75') ? f.swap || 0 : f.swap || '',
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeral_gb,
    'OS-FLV-DISABLED:disabled': f.disabled,
    vcpus: f.vcpus,
    'os-flavor-access:is_public': f.is_public,
    rxtx_factor: f.rxtx_factor || '',
    links: links.item('flavors', f.flavorid),
  };
  if (mv.atLeast('2.55')) view.description = f.description;
  if (withSpecs) view.extra_specs = { ...f.extra_specs };
  if (mv.atLeast('2.102')) {
    delete view['OS-FLV-DISABLED:disabled'];
    delete view.rxtx_factor;
  }
  return view;
}

export function flavorAccessView(flavorId: string, projects: readonly string[]) {
  return { flavor_access: projects.map((p) => ({ flavor_id: flavorId, tenant_id: p })) };
}
