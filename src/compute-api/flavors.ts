// Flavor operations with upstream's rules (nova/compute/flavors.py): ids generated when absent,
// names stripped, integer fields range-checked; and the classic default flavors.
import type { Clock } from '../common/clock.ts';
import { newUuid } from '../common/ids.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { Invalid } from '../faults/fault.ts';
import type { Flavor } from '../objects/flavor.ts';
import * as flavors from '../objects/flavor.ts';

const MAX_INT = 0x7fffffff;
const SQL_SP_FLOAT_MAX = 3.40282e38;

export interface FlavorInput {
  readonly name: string;
  readonly id?: string | number | null;
  readonly ram: number | string;
  readonly vcpus: number | string;
  readonly disk: number | string;
  readonly ephemeral?: number | string;
  readonly swap?: number | string;
  readonly rxtx_factor?: number | string;
  readonly is_public?: boolean | string;
  readonly description?: string | null;
}

function intField(v: number | string, what: string, min: number): number {
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isInteger(n)) throw new Invalid(`Invalid input received: ${what} must be an integer`);
  if (n < min) throw new Invalid(`Invalid input received: ${what} must be >= ${min}`);
  if (n > MAX_INT) throw new Invalid(`Invalid input received: ${what} must be <= ${MAX_INT}`);
  return n;
}

const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

function strictBool(v: boolean | string): boolean {
  if (typeof v === 'boolean') return v;
  const s = v.trim().toLowerCase();
  if (TRUE.includes(s)) return true;
  if (FALSE.includes(s)) return false;
  throw new Invalid('Invalid input received: is_public must be a boolean');
}

export async function createFlavor(db: Database<ApiDb>, clock: Clock, input: FlavorInput): Promise<Flavor> {
  const rxtx = Number(input.rxtx_factor ?? 1);
  if (!(rxtx > 0 && rxtx <= SQL_SP_FLOAT_MAX))
    throw new Invalid(
      `Invalid input received: 'rxtx_factor' argument must be a float between 0 and ${SQL_SP_FLOAT_MAX}`,
    );
  const flavorid =
    input.id === undefined || input.id === null || input.id === '' ? newUuid() : String(input.id);
  return flavors.create(
    db,
    {
      flavorid,
      name: input.name.trim(),
      memory_mb: intField(input.ram, 'ram', 1),
      vcpus: intField(input.vcpus, 'vcpus', 1),
      root_gb: intField(input.disk, 'disk', 0),
      ephemeral_gb: intField(input.ephemeral ?? 0, 'ephemeral', 0),
      swap: intField(input.swap ?? 0, 'swap', 0),
      rxtx_factor: rxtx,
      is_public: strictBool(input.is_public ?? true),
      description: input.description ?? null,
    },
    clock.now(),
  );
}

/** The classic flavors (old Nova and DevStack), plus m1.nano that fits a CirrOS-size image. */
export const DEFAULT_FLAVORS: readonly flavors.NewFlavor[] = Object.freeze([
  { flavorid: '1', name: 'm1.tiny', memory_mb: 512, root_gb: 1, vcpus: 1 },
  { flavorid: '2', name: 'm1.small', memory_mb: 2048, root_gb: 20, vcpus: 1 },
  { flavorid: '3', name: 'm1.medium', memory_mb: 4096, root_gb: 40, vcpus: 2 },
  { flavorid: '4', name: 'm1.large', memory_mb: 8192, root_gb: 80, vcpus: 4 },
  { flavorid: '5', name: 'm1.xlarge', memory_mb: 16384, root_gb: 160, vcpus: 8 },
  { flavorid: '42', name: 'm1.nano', memory_mb: 128, root_gb: 1, vcpus: 1 },
]);

/** Creates each default flavor whose id and name are both free; returns the ids created. */
export async function ensureDefaultFlavors(db: Database<ApiDb>, now: Date): Promise<readonly string[]> {
  const made: string[] = [];
  for (const f of DEFAULT_FLAVORS) {
    if ((await flavors.findByFlavorId(db, f.flavorid)) || (await flavors.findByName(db, f.name))) continue;
    await flavors.create(db, f, now);
    made.push(f.flavorid);
  }
  return Object.freeze(made);
}
