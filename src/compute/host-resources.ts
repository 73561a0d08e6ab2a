// What this host really has: CPUs, memory and the free disk under instances_path. The compute
// service reports it as its compute node (the virt drivers' provider trees build on this later).
import { mkdirSync, statfsSync } from 'node:fs';
import os from 'node:os';

export interface HostResources {
  readonly vcpus: number;
  readonly memoryMb: number;
  readonly localGb: number;
  readonly freeDiskGb: number;
  readonly cpuInfo: string;
}

export function readHostResources(instancesPath: string): HostResources {
  mkdirSync(instancesPath, { recursive: true });
  const fs = statfsSync(instancesPath);
  const gib = 1024 ** 3;
  const cpus = os.cpus();
  return {
    vcpus: cpus.length,
    memoryMb: Math.floor(os.totalmem() / 1024 / 1024),
    localGb: Math.floor((fs.blocks * fs.bsize) / gib),
    freeDiskGb: Math.floor((fs.bavail * fs.bsize) / gib),
    cpuInfo: JSON.stringify({
      arch: os.arch(),
      model: cpus[0]?.model ?? 'unknown',
      topology: { cores: cpus.length },
    }),
  };
}
