// Socket-level failures look the same from every network driver.
import type { ConnectFailure } from './types.ts';

const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET']);
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT']);

export function classifyNetworkError(err: unknown): ConnectFailure | undefined {
  const e = err as { code?: string; errors?: unknown[]; message?: string };
  if (e?.code && REFUSED.has(e.code)) return 'refused';
  if (e?.code && UNREACHABLE.has(e.code)) return 'unreachable';
  if (Array.isArray(e?.errors) && e.errors.length > 0) return classifyNetworkError(e.errors[0]);
  if (/timeout|timed out/i.test(e?.message ?? '')) return 'unreachable';
  return undefined;
}
