// What Nova's placement client raises: an HTTP error answer of the placement API as a typed
// PlacementError (status, placement error code from 1.23, detail), and PlacementUnreachable when
// no answer came at all.

/** Placement error codes the client acts on (placement's errors.ts lists them all). */
export const PlacementCodes = Object.freeze({
  CONCURRENT_UPDATE: 'placement.concurrent_update',
  INVENTORY_INUSE: 'placement.inventory.inuse',
  DUPLICATE_NAME: 'placement.duplicate_name',
  PROVIDER_IN_USE: 'placement.resource_provider.inuse',
  PROVIDER_NOT_FOUND: 'placement.resource_provider.not_found',
  UNDEFINED: 'placement.undefined_code',
});

export interface PlacementErrorInit {
  readonly status: number;
  readonly code?: string;
  readonly detail?: string;
  readonly method: string;
  readonly path: string;
  readonly cause?: unknown;
}

export class PlacementError extends Error {
  /** HTTP status of the answer (0 when placement did not answer). */
  readonly status: number;
  /** Placement's error code ('placement.concurrent_update', …), or 'placement.undefined_code'. */
  readonly code: string;
  /** Placement's explanation, without the generic HTTP status wording. */
  readonly detail: string;
  readonly method: string;
  readonly path: string;
  constructor(init: PlacementErrorInit) {
    const detail = init.detail ?? '';
    super(
      `placement ${init.method} ${init.path}: ${init.status || 'no answer'}${detail ? ` ${detail}` : ''}`,
      { cause: init.cause },
    );
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code ?? PlacementCodes.UNDEFINED;
    this.detail = detail;
    this.method = init.method;
    this.path = init.path;
  }

  get isConcurrentUpdate(): boolean {
    return this.status === 409 && this.code === PlacementCodes.CONCURRENT_UPDATE;
  }

  /** A 409 about a consumer generation (someone else changed the consumer's allocations). */
  get isConsumerConflict(): boolean {
    return this.isConcurrentUpdate && /consumer generation conflict/i.test(this.detail);
  }

  /** A 409 saying there is not enough capacity (or the inventory does not fit the request). */
  get isInsufficientResources(): boolean {
    return this.status === 409 && !this.isConcurrentUpdate && /unable to allocate/i.test(this.detail);
  }
}

/** Placement could not be reached (connection refused, timeout, …). */
export class PlacementUnreachable extends PlacementError {
  constructor(method: string, path: string, url: string, cause: unknown) {
    super({
      status: 0,
      method,
      path,
      detail: `cannot reach placement at ${url}: ${String((cause as Error)?.message ?? cause)}`,
      cause,
    });
  }
}

/**
 * The detail of a placement error body ({"errors": [{status, title, detail, code}]}). Placement
 * formats detail as "<status explanation>\n\n <message>  "; only the message part is kept.
 */
export function parseErrorBody(text: string): { code?: string; detail: string } {
  let entry: Record<string, unknown> | undefined;
  try {
    const body = JSON.parse(text) as { errors?: Record<string, unknown>[] };
    entry = Array.isArray(body?.errors) ? body.errors[0] : undefined;
  } catch {
    return { detail: text.trim().slice(0, 500) };
  }
  if (!entry) return { detail: text.trim().slice(0, 500) };
  const raw = typeof entry.detail === 'string' ? entry.detail : String(entry.title ?? '');
  const parts = raw.split('\n\n');
  const detail = (parts.length > 1 ? parts.slice(1).join('\n\n') : raw).trim() || raw.trim();
  return { code: typeof entry.code === 'string' ? entry.code : undefined, detail };
}
