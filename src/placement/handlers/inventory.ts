// /resource_providers/{uuid}/inventories[/{resource_class}].
import { inTransaction } from '../../db/transaction.ts';
import type { HandlerResult, RequestContext } from '../context.ts';
import { newest } from '../context.ts';
import { badRequest, conflict, ErrorCode, GenerationRace, notFound } from '../errors.ts';
import type { Microversion } from '../microversion.ts';
import {
  capacityOf,
  deleteInventory,
  INVENTORY_DEFAULTS,
  type Inventory,
  type InventoryFields,
  type InventoryWrite,
  listInventories,
  replaceInventories,
  writeInventory,
} from '../objects/inventory.ts';
import { classIds, findClass, noSuchClass } from '../objects/resource-class.ts';
import { getProvider, type ResourceProvider } from '../objects/resource-provider.ts';
import { Rules } from '../policies.ts';
import { BASE_INVENTORY, POST_INVENTORY, PUT_INVENTORIES } from '../schemas/inventory.ts';
import { extractJson } from '../schemas/validate.ts';

const FIELDS = ['total', 'reserved', 'min_unit', 'max_unit', 'step_size', 'allocation_ratio'] as const;

export const inventoryView = (inv: InventoryFields) => Object.fromEntries(FIELDS.map((f) => [f, inv[f]]));

type Raw = Partial<InventoryFields> & {
  total: number;
  resource_provider_generation?: number;
  resource_class?: string;
};

export const withDefaults = (raw: Raw): InventoryFields => ({
  ...INVENTORY_DEFAULTS,
  ...Object.fromEntries(FIELDS.filter((f) => raw[f] !== undefined).map((f) => [f, raw[f]])),
  total: raw.total,
});

/** Capacity must be positive (from 1.26: reserved may equal total). */
export function checkCapacity(
  mv: Microversion,
  rc: string,
  rp: ResourceProvider,
  inv: InventoryFields,
  verb: string,
) {
  const cap = capacityOf(inv);
  const bad = mv.atLeast('1.26') ? cap < 0 : cap <= 0;
  if (!bad) return;
  const why = mv.atLeast('1.26') ? 'greater than total' : 'greater than or equal to total';
  throw badRequest(
    `Unable to ${verb} inventory for resource provider ${rp.uuid}: Invalid inventory for '${rc}' on resource provider '${rp.uuid}'. The reserved value is ${why}.`,
  );
}

const stale = () => conflict('resource provider generation conflict', ErrorCode.CONCURRENT_UPDATE);

function inventoriesBody(invs: readonly { resource_class: string }[], generation: number) {
  return {
    resource_provider_generation: generation,
    inventories: Object.fromEntries(
      invs.map((i) => [i.resource_class, inventoryView(i as unknown as InventoryFields)]),
    ),
  };
}

const providerOr404 = (ctx: RequestContext) =>
  getProvider(ctx.deps.db, ctx.params.uuid, `No resource provider with uuid ${ctx.params.uuid} found`);

export async function getInventories(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.INV_LIST);
  const rp = await providerOr404(ctx);
  const invs = await listInventories(ctx.deps.db, rp.id);
  return {
    status: 200,
    body: inventoriesBody(invs, rp.generation),
    lastModified: newest(
      invs.map((i) => i.updated_at ?? i.created_at),
      ctx.deps.clock.now(),
    ),
  };
}

export async function getInventory(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.INV_SHOW);
  const rp = await providerOr404(ctx);
  const rc = ctx.params.resource_class;
  const inv = (await listInventories(ctx.deps.db, rp.id)).find((i) => i.resource_class === rc);
  if (!inv) throw notFound(`No inventory of class ${rc} for ${rp.uuid}`);
  return one(ctx, inv, rp.generation, 200);
}

function one(
  ctx: RequestContext,
  inv: Inventory | InventoryFields,
  generation: number,
  status: number,
): HandlerResult {
  const stamp =
    'created_at' in inv
      ? newest([inv.updated_at ?? inv.created_at], ctx.deps.clock.now())
      : ctx.deps.clock.now();
  return {
    status,
    body: { ...inventoryView(inv), resource_provider_generation: generation },
    lastModified: stamp,
  };
}

/** Runs a generation-bumping write; a lost race is upstream's 409 "update conflict". */
async function guarded<T>(fn: () => Promise<T>, prefix = 'update conflict'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GenerationRace)
      throw conflict(`${prefix}: ${err.message}`, ErrorCode.CONCURRENT_UPDATE);
    throw err;
  }
}

export async function createInventory(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.INV_CREATE);
  const { db, clock } = ctx.deps;
  const rp = await getProvider(db, ctx.params.uuid);
  const raw = extractJson<Raw & { resource_class: string }>(ctx.body, POST_INVENTORY);
  const inv = withDefaults(raw);
  const rcName = raw.resource_class;
  checkCapacity(ctx.mv, rcName, rp, inv, 'create');
  const rc = await findClass(db, rcName);
  if (!rc)
    throw badRequest(`Unable to create inventory for resource provider ${rp.uuid}: ${noSuchClass(rcName)}`);
  const gen = await guarded(
    () =>
      inTransaction(db, async (trx) => {
        if ((await listInventories(trx, rp.id)).some((i) => i.resource_class_id === rc.id))
          throw conflict(
            `Update conflict: Inventory for ${rcName} on ${rp.uuid} already exists.`,
            ErrorCode.CONCURRENT_UPDATE,
          );
        return writeInventory(
          trx,
          rp,
          { ...inv, resource_class: rcName, resource_class_id: rc.id },
          false,
          clock.now(),
        );
      }),
    'Update conflict',
  );
  return { ...one(ctx, inv, gen, 201), location: `/resource_providers/${rp.uuid}/inventories/${rcName}` };
}

export async function setInventories(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.INV_UPDATE);
  const { db, clock } = ctx.deps;
  const rp = await getProvider(db, ctx.params.uuid);
  const data = extractJson<{ resource_provider_generation: number; inventories: Record<string, Raw> }>(
    ctx.body,
    PUT_INVENTORIES,
  );
  if (data.resource_provider_generation !== rp.generation) throw stale();
  const wanted = Object.entries(data.inventories).map(([rc, raw]) => [rc, withDefaults(raw)] as const);
  for (const [rc, inv] of wanted) checkCapacity(ctx.mv, rc, rp, inv, 'update');
  const ids = await classIds(
    db,
    wanted.map(([rc]) => rc),
    (n) =>
      badRequest(`Unknown resource class in inventory for resource provider ${rp.uuid}: ${noSuchClass(n)}`),
  );
  const writes: InventoryWrite[] = wanted.map(([rc, inv]) => ({
    ...inv,
    resource_class: rc,
    resource_class_id: ids.get(rc) as number,
  }));
  const gen = await guarded(() =>
    inTransaction(db, (trx) => replaceInventories(trx, rp, writes, clock.now())),
  );
  return { status: 200, body: inventoriesBody(writes, gen), lastModified: clock.now() };
}

export async function updateInventory(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.INV_UPDATE);
  const { db, clock } = ctx.deps;
  const rp = await getProvider(db, ctx.params.uuid);
  const rcName = ctx.params.resource_class;
  const raw = extractJson<Raw>(ctx.body, BASE_INVENTORY);
  if (raw.resource_provider_generation !== rp.generation) throw stale();
  const inv = withDefaults(raw);
  const rc = await findClass(db, rcName);
  if (!rc) throw notFound(noSuchClass(rcName));
  checkCapacity(ctx.mv, rcName, rp, inv, 'update');
  const gen = await guarded(() =>
    inTransaction(db, async (trx) => {
      if (!(await listInventories(trx, rp.id)).some((i) => i.resource_class_id === rc.id))
        throw badRequest(
          `No inventory record with resource class for resource provider ${rp.uuid}: No inventory of class ${rcName} found for update.`,
        );
      return writeInventory(
        trx,
        rp,
        { ...inv, resource_class: rcName, resource_class_id: rc.id },
        true,
        clock.now(),
      );
    }),
  );
  return one(ctx, inv, gen, 200);
}

export async function deleteInventoryOfClass(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.INV_DELETE);
  const { db, clock } = ctx.deps;
  const rp = await getProvider(db, ctx.params.uuid);
  const rcName = ctx.params.resource_class;
  const rc = await findClass(db, rcName);
  const missing = () =>
    notFound(
      `No inventory of class ${rcName} found for delete: No inventory of class ${rcName} found for delete.`,
    );
  if (!rc) throw missing();
  await guarded(
    () =>
      inTransaction(db, async (trx) => {
        if (!(await listInventories(trx, rp.id)).some((i) => i.resource_class_id === rc.id)) throw missing();
        return deleteInventory(trx, rp, rc.id, rcName, clock.now());
      }),
    `Unable to delete inventory of class ${rcName}`,
  );
  return { status: 204 };
}

export async function deleteInventories(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.INV_DELETE);
  const { db, clock } = ctx.deps;
  const rp = await getProvider(db, ctx.params.uuid);
  try {
    await inTransaction(db, (trx) =>
      replaceInventories(trx, rp, [], clock.now(), (rc, p) =>
        conflict(`Inventory for '${rc}' on resource provider '${p.uuid}' in use.`, ErrorCode.INVENTORY_INUSE),
      ),
    );
  } catch (err) {
    if (err instanceof GenerationRace)
      throw conflict(
        `Unable to delete inventory for resource provider ${rp.uuid} because the inventory was updated by another process. Please retry your request.`,
        ErrorCode.CONCURRENT_UPDATE,
      );
    throw err;
  }
  return { status: 204 };
}
