// GET /os-hosts/{host}: the host's totals, what it uses now, and usage by project from the
// instances on it (upstream hosts.py show).
import type { Database } from '../../../db/connect.ts';
import type { CellDb } from '../../../db/tables/cell-db.ts';
import { toNumberOrNull } from '../../../db/values.ts';
import type { ComputeNode } from '../../../objects/compute-node.ts';

interface Resource {
  host: string;
  project: string;
  cpu: number;
  memory_mb: number;
  disk_gb: number;
}

export async function hostResources(db: Database<CellDb>, host: string, node: ComputeNode) {
  const rows = await db.kysely
    .selectFrom('instances')
    .select(['project_id', 'vcpus', 'memory_mb', 'root_gb', 'ephemeral_gb'])
    .where('host', '=', host)
    .where('deleted', '=', 0)
    .execute();
  const used: Resource = { host, project: '(used_max)', cpu: 0, memory_mb: 0, disk_gb: 0 };
  const byProject = new Map<string, Resource>();
  for (const r of rows) {
    const cpu = toNumberOrNull(r.vcpus) ?? 0;
    const mem = toNumberOrNull(r.memory_mb) ?? 0;
    const disk = (toNumberOrNull(r.root_gb) ?? 0) + (toNumberOrNull(r.ephemeral_gb) ?? 0);
    used.cpu += cpu;
    used.memory_mb += mem;
    used.disk_gb += disk;
    const project = r.project_id ?? '';
    const p = byProject.get(project) ?? { host, project, cpu: 0, memory_mb: 0, disk_gb: 0 };
    p.cpu += cpu;
    p.memory_mb += mem;
    p.disk_gb += disk;
    byProject.set(project, p);
  }
  return [
    {
      resource: {
        host,
        project: '(total)',
        cpu: node.vcpus,
        memory_mb: node.memory_mb,
        disk_gb: node.local_gb,
      },
    },
    {
      resource: {
        host,
        project: '(used_now)',
        cpu: node.vcpus_used,
        memory_mb: node.memory_mb_used,
        disk_gb: node.local_gb_used,
      },
    },
    { resource: used },
    ...[...byProject.values()].map((resource) => ({ resource })),
  ];
}
