// /flavors/{flavor_id}/os-extra_specs[/{key}] — upstream flavors_extraspecs.py; known extra specs
// are validated from 2.86.
import { createExtraSpecValidator } from '../../../compute-api/extra-specs/validate.ts';
import { Invalid, NotFound } from '../../../faults/fault.ts';
import * as flavors from '../../../objects/flavor.ts';
import { FLAVOR_POLICIES as P } from '../policies/flavors.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/flavors.ts';

const known = createExtraSpecValidator();

/** Values as stored (numbers become strings, at most 255 characters), validated from 2.86. */
function checkValues(ctx: RouteContext, specs: Record<string, string | number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(specs)) {
    const s = String(v);
    if (typeof v === 'number' && s.length > 255)
      throw new Invalid(`Invalid input received: extra_specs value has more than 255 characters.`);
    if (ctx.mv.atLeast('2.86')) known.validate(k, s);
    out[k] = s;
  }
  return out;
}

const noKey = (flavorId: string, key: string) =>
  new NotFound(`Flavor ${flavorId} has no extra specs with key ${key}.`, 'nova.flavor_extra_specs_not_found');

const ownProject = (ctx: RouteContext) => ({ project_id: ctx.auth.project_id });

export const FLAVOR_EXTRA_SPEC_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/flavors/:flavor_id/os-extra_specs',
    policy: { rule: P.extraSpecsIndex, target: ownProject },
    query: S.strictFrom2102,
    handler: async (ctx) => ({
      extra_specs: { ...(await flavors.getByFlavorId(ctx.deps.apiDb, ctx.params.flavor_id)).extra_specs },
    }),
  },
  {
    method: 'POST',
    url: '/flavors/:flavor_id/os-extra_specs',
    policy: { rule: P.extraSpecsCreate, target: () => ({}) },
    body: S.extraSpecsCreateBody,
    handler: async (ctx) => {
      const specs = checkValues(ctx, ctx.body.extra_specs);
      await flavors.updateExtraSpecs(ctx.deps.apiDb, ctx.params.flavor_id, specs, ctx.deps.clock.now());
      return ctx.body;
    },
  },
  {
    method: 'GET',
    url: '/flavors/:flavor_id/os-extra_specs/:id',
    policy: { rule: P.extraSpecsShow, target: ownProject },
    query: S.strictFrom2102,
    handler: async (ctx) => {
      const f = await flavors.getByFlavorId(ctx.deps.apiDb, ctx.params.flavor_id);
      const key = ctx.params.id;
      if (!Object.hasOwn(f.extra_specs, key)) throw noKey(ctx.params.flavor_id, key);
      return { [key]: f.extra_specs[key] };
    },
  },
  {
    method: 'PUT',
    url: '/flavors/:flavor_id/os-extra_specs/:id',
    policy: { rule: P.extraSpecsUpdate, target: () => ({}) },
    body: S.extraSpecUpdateBody,
    handler: async (ctx) => {
      const specs = checkValues(ctx, ctx.body);
      if (!Object.hasOwn(ctx.body, ctx.params.id)) throw new Invalid('Request body and URI mismatch');
      await flavors.updateExtraSpecs(ctx.deps.apiDb, ctx.params.flavor_id, specs, ctx.deps.clock.now());
      return ctx.body;
    },
  },
  {
    method: 'DELETE',
    url: '/flavors/:flavor_id/os-extra_specs/:id',
    policy: { rule: P.extraSpecsDelete, target: () => ({}) },
    handler: async (ctx) => {
      await flavors.deleteExtraSpec(ctx.deps.apiDb, ctx.params.flavor_id, ctx.params.id);
      return undefined;
    },
  },
];
