// Placement's stable error codes (the `code` of an error body from 1.23), one symbol each, and
// the one error type handlers and objects throw. fault.ts turns it into the HTTP body.
import { Fault } from '../faults/fault.ts';

export const ErrorCode = Object.freeze({
  DEFAULT: 'placement.undefined_code',
  INVENTORY_INUSE: 'placement.inventory.inuse',
  CONCURRENT_UPDATE: 'placement.concurrent_update',
  DUPLICATE_NAME: 'placement.duplicate_name',
  PROVIDER_IN_USE: 'placement.resource_provider.inuse',
  PROVIDER_CANNOT_DELETE_PARENT: 'placement.resource_provider.cannot_delete_parent',
  RESOURCE_PROVIDER_NOT_FOUND: 'placement.resource_provider.not_found',
  ILLEGAL_DUPLICATE_QUERYPARAM: 'placement.query.duplicate_key',
  QUERYPARAM_BAD_VALUE: 'placement.query.bad_value',
  QUERYPARAM_MISSING_VALUE: 'placement.query.missing_value',
});

/** An HTTP error of the placement API: status, detail message, error code. */
export class PlacementError extends Fault {
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, detail: string, code: string = ErrorCode.DEFAULT, headers = {}) {
    super(detail, status, code);
    this.headers = headers;
  }
}

export const badRequest = (detail: string, code?: string) => new PlacementError(400, detail, code);
export const notFound = (detail: string, code?: string) => new PlacementError(404, detail, code);
export const conflict = (detail: string, code?: string) => new PlacementError(409, detail, code);

/** Raised by objects when a generation check fails; handlers add their own wording. */
export class ConcurrentUpdate extends PlacementError {
  constructor(detail: string) {
    super(409, detail, ErrorCode.CONCURRENT_UPDATE);
  }
}

/** A provider generation changed under a write (another writer won); allocation writes retry it. */
export class GenerationRace extends ConcurrentUpdate {}
