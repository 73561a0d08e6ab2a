// ImagePropertiesFilter: the image's architecture, hypervisor type and VM mode (hw_architecture,
// img_hv_type, hw_vm_mode, or their legacy names architecture, hypervisor_type, vm_mode) must be
// one of the host's supported_instances triples, img_hv_requested_version (">=6.0, <7") must hold
// for the hypervisor version, and hw_maxphysaddr_bits must fit the host CPU's address bits.
import type { HostFilter, HostState } from '../types.ts';

function canonicalArch(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  if (['i386', 'i486', 'i586', 'x86_32', 'x86_32p'].includes(n)) return 'i686';
  return n === 'amd64' ? 'x86_64' : n;
}

function canonicalHvType(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  return n === 'xapi' ? 'xen' : n;
}

function canonicalVmMode(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  if (n === 'pv') return 'xen';
  return n === 'hv' || n === 'baremetal' ? 'hvm' : n;
}

/** An integer hypervisor version (major*1e6 + minor*1e3 + micro) as parts [major, minor, micro]. */
function versionParts(v: number): number[] {
  const parts: number[] = [];
  let rest = Math.trunc(v);
  while (rest > 0) {
    parts.unshift(rest % 1000);
    rest = Math.trunc(rest / 1000);
  }
  return parts;
}

/** Compares versions part by part, missing parts counting as 0. */
function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const PREDICATE = /^\s*(<=|>=|<|>|!=|==)\s*(\d+(?:\.\d+)*)\s*$/;
const COMPARE: Readonly<Record<string, (d: number) => boolean>> = Object.freeze({
  '<': (d) => d < 0,
  '<=': (d) => d <= 0,
  '>': (d) => d > 0,
  '>=': (d) => d >= 0,
  '==': (d) => d === 0,
  '!=': (d) => d !== 0,
});

/** True when the version satisfies every comma-separated predicate; malformed text fails. */
export function versionSatisfies(hypervisorVersion: number, predicate: string): boolean {
  const have = versionParts(hypervisorVersion);
  return predicate.split(',').every((part) => {
    const m = PREDICATE.exec(part);
    if (!m) return false;
    return COMPARE[m[1]](compareVersions(have, m[2].split('.').map(Number)));
  });
}

function maxphysaddrBits(host: HostState): number | undefined {
  try {
    const info = JSON.parse(host.cpu_info || '{}') as { maxphysaddr?: { bits?: unknown } };
    const bits = info?.maxphysaddr?.bits;
    return typeof bits === 'number' && bits > 0 ? bits : undefined;
  } catch {
    return undefined;
  }
}

export const ImagePropertiesFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'ImagePropertiesFilter',
  runOncePerRequest: true,
  runOnRebuild: true,
  hostPasses: (host, spec) => {
    const p = spec.image.properties;
    const wanted = [
      canonicalArch(p.hw_architecture ?? p.architecture),
      canonicalHvType(p.img_hv_type ?? p.hypervisor_type),
      canonicalVmMode(p.hw_vm_mode ?? p.vm_mode),
    ];
    if (!wanted.some(Boolean)) return true;
    const versionOk = () => {
      const req = p.img_hv_requested_version;
      return !host.hypervisor_version || !req || versionSatisfies(host.hypervisor_version, req);
    };
    const bitsOk = () => {
      const req = p.hw_maxphysaddr_bits ? Number(p.hw_maxphysaddr_bits) : 0;
      const bits = req ? maxphysaddrBits(host) : undefined;
      return bits === undefined || bits >= req;
    };
    return host.supported_instances.some(
      (triple) => wanted.every((w) => !w || triple.includes(w)) && versionOk() && bitsOk(),
    );
  },
});
