// Picks the endpoint for a request as oslo.messaging's RPCDispatcher does: same namespace, compatible
// version (same major, endpoint minor ≥ requested), has the method. A namespace/version match without
// the method is NoSuchMethod; no compatible endpoint at all is UnsupportedVersion.
import { type RequestContext, runInContext } from './context.ts';
import { NoSuchMethod, UnsupportedVersion } from './faults.ts';
import type { Dispatcher, DispatchRequest, RpcEndpoint, RpcMethod } from './types.ts';
import { isCompatible, parseVersion } from './version.ts';

function methodOf(ep: RpcEndpoint, name: string): RpcMethod | undefined {
  const fn = Object.hasOwn(ep.methods, name) ? ep.methods[name] : undefined;
  return typeof fn === 'function' ? fn : undefined;
}

function describe(req: DispatchRequest): string {
  const ns = req.namespace ? `namespace '${req.namespace}'` : 'the default namespace';
  return `${ns}${req.version ? ` at version ${req.version}` : ''}`;
}

export function createDispatcher(endpoints: readonly RpcEndpoint[]): Dispatcher {
  for (const ep of endpoints) parseVersion(ep.version);
  const list = Object.freeze([...endpoints]);
  return {
    async dispatch(ctx: RequestContext, req: DispatchRequest): Promise<unknown> {
      let compatible = false;
      for (const ep of list) {
        if ((ep.namespace ?? undefined) !== (req.namespace ?? undefined)) continue;
        if (req.version !== undefined && !isCompatible(ep.version, req.version)) continue;
        compatible = true;
        const fn = methodOf(ep, req.method);
        if (fn) return await runInContext(ctx, () => fn(ctx, req.args));
      }
      if (!compatible) {
        const have = list.filter((e) => (e.namespace ?? undefined) === (req.namespace ?? undefined));
        const versions = have.length > 0 ? ` (server has ${have.map((e) => e.version).join(', ')})` : '';
        throw new UnsupportedVersion(`No endpoint for ${describe(req)}${versions}`);
      }
      throw new NoSuchMethod(`Method '${req.method}' not found in ${describe(req)}`);
    },
  };
}
