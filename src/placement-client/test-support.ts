// Test helpers: the embedded placement API over in-memory SQLite, listening on a free port, and a
// PlacementClient talking to it over HTTP with the noauth2 admin token (fetch calls counted).
import type { PlacementDeps } from '../placement/app.ts';
import { memoryPlacement, type TestPlacement } from '../placement/test-support.ts';
import { staticTokenSource } from '../service-auth/token-source.ts';
import type { InventoryRecord } from '../virt/driver.ts';
import { PlacementClient, type PlacementClientOptions } from './client.ts';

export interface ListeningPlacement {
  readonly url: string;
  readonly placement: TestPlacement;
  close(): Promise<void>;
}

export async function listeningPlacement(extra: Partial<PlacementDeps> = {}): Promise<ListeningPlacement> {
  const placement = await memoryPlacement(extra);
  const url = await placement.app.listen({ host: '127.0.0.1', port: 0 });
  return { url, placement, close: () => placement.close() };
}

/** Every request a counting fetch made, as "METHOD path". */
export interface CountingFetch {
  readonly fetch: typeof fetch;
  readonly calls: string[];
}

export function countingFetch(inner: typeof fetch = fetch): CountingFetch {
  const calls: string[] = [];
  const wrapped: typeof fetch = (input, init) => {
    const u = new URL(String(input));
    calls.push(`${init?.method ?? 'GET'} ${u.pathname}${u.search}`);
    return inner(input, init);
  };
  return { fetch: wrapped, calls };
}

export function adminClient(url: string, over: Partial<PlacementClientOptions> = {}): PlacementClient {
  return new PlacementClient({
    tokens: staticTokenSource('admin', { placement: url }),
    sleep: async () => {},
    ...over,
  });
}

export const inv = (total: number, over: Partial<InventoryRecord> = {}): InventoryRecord => ({
  total,
  reserved: 0,
  min_unit: 1,
  max_unit: total,
  step_size: 1,
  allocation_ratio: 1,
  ...over,
});
