// The capacity test every provider search shares, as SQL: the provider has an inventory of the
// class whose min/max/step admit `amount` and whose (total - reserved) * ratio still holds it on
// top of what is allocated. Numbers are validated integers, inlined as literals.
import { type RawBuilder, sql } from 'kysely';

/** `exists(…)` for the provider column `rpIdRef` (e.g. 'rp.id'). */
export function hasCapacity(rpIdRef: string, rcId: number, amount: number): RawBuilder<boolean> {
  const n = sql.lit(amount);
  return sql<boolean>`exists (select 1 from inventories i
    where i.resource_provider_id = ${sql.ref(rpIdRef)} and i.resource_class_id = ${sql.lit(rcId)}
      and i.min_unit <= ${n} and i.max_unit >= ${n} and ${n} % i.step_size = 0
      and coalesce((select sum(a.used) from allocations a
        where a.resource_provider_id = i.resource_provider_id
          and a.resource_class_id = i.resource_class_id), 0) + ${n}
        <= (i.total - i.reserved) * i.allocation_ratio)`;
}
