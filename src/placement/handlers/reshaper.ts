// POST /reshaper (1.30+): move inventories and allocations between providers of a tree atomically.
import type { HandlerResult, RequestContext } from '../context.ts';
import { badRequest, ConcurrentUpdate, conflict, ErrorCode } from '../errors.ts';
import { writeAllocations } from '../objects/allocation-write.ts';
import { type InventoryWrite, replaceInventories } from '../objects/inventory.ts';
import { classIds, noSuchClass } from '../objects/resource-class.ts';
import { findProvider, findProviderById, type ResourceProvider } from '../objects/resource-provider.ts';
import { Rules } from '../policies.ts';
import { byVersion } from '../schemas/by-version.ts';
import { RESHAPER_1_30, RESHAPER_1_34, RESHAPER_1_38 } from '../schemas/reshaper.ts';
import { extractJson } from '../schemas/validate.ts';
import { type AllocationBody, consumerWrite } from './allocation.ts';
import { withDefaults } from './inventory.ts';

interface ReshaperBody {
  inventories: Record<
    string,
    { resource_provider_generation: number; inventories: Record<string, { total: number }> }
  >;
  allocations: Record<string, AllocationBody>;
}

const SCHEMAS = [
  ['1.38', RESHAPER_1_38],
  ['1.34', RESHAPER_1_34],
  ['1.30', RESHAPER_1_30],
] as const;

interface Plan {
  readonly rp: ResourceProvider;
  readonly generation: number;
  readonly writes: readonly InventoryWrite[];
}

async function plan(ctx: RequestContext, data: ReshaperBody): Promise<Plan[]> {
  const { db } = ctx.deps;
  const out: Plan[] = [];
  for (const [uuid, inv] of Object.entries(data.inventories)) {
    const rp = await findProvider(db, uuid);
    if (!rp)
      throw badRequest(
        `Resource provider ${uuid} in inventories not found: No resource provider with uuid ${uuid} found`,
        ErrorCode.RESOURCE_PROVIDER_NOT_FOUND,
      );
    if (inv.resource_provider_generation !== rp.generation)
      throw conflict(
        `resource provider generation conflict for provider ${uuid}: actual: ${rp.generation}, given: ${inv.resource_provider_generation}`,
        ErrorCode.CONCURRENT_UPDATE,
      );
    const ids = await classIds(db, Object.keys(inv.inventories), (n) =>
      badRequest(`malformed reshaper data: ${noSuchClass(n)}`),
    );
    const writes = Object.entries(inv.inventories).map(([rc, raw]) => ({
      ...withDefaults(raw),
      resource_class: rc,
      resource_class_id: ids.get(rc) as number,
    }));
    out.push({ rp, generation: inv.resource_provider_generation, writes });
  }
  return out;
}

export async function reshape(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RESHAPE);
  const data = extractJson<ReshaperBody>(ctx.body, byVersion(SCHEMAS, ctx.mv));
  const plans = await plan(ctx, data);
  const writes = Object.entries(data.allocations).map(([c, b]) => consumerWrite(ctx, c, b));
  const { db, clock, settings, log } = ctx.deps;
  const now = clock.now();
  await writeAllocations(
    db,
    writes,
    { now, retries: settings.allocationConflictRetryCount, log },
    async (trx) => {
      const moved = new Map<number, number>();
      for (const p of plans) {
        const current = await findProviderById(trx, p.rp.id);
        if (!current || current.generation !== p.generation)
          throw new ConcurrentUpdate(`update conflict: resource provider ${p.rp.uuid} generation changed`);
        moved.set(p.rp.id, await replaceInventories(trx, current, p.writes, now));
      }
      return moved;
    },
  );
  return { status: 204 };
}
