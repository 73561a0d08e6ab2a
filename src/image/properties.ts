// Names a free-form property may not have (Glance's reserved properties and namespace).
import { badRequest, reserved } from './faults.ts';

export const RESERVED = ['location', 'deleted', 'deleted_at'];
export const RESERVED_NAMESPACE = 'os_glance';

export const isReserved = (key: string): boolean =>
  RESERVED.includes(key) || key.startsWith(RESERVED_NAMESPACE);

/** Glance's checks on a new free-form property name. */
export function checkPropertyName(key: string): void {
  if (key.length > 255) throw badRequest('Custom property should not be greater than 255 characters.');
  if (isReserved(key)) throw reserved(key);
}
