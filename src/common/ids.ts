import { randomUUID } from 'node:crypto';

export const newUuid = (): string => randomUUID();

/** Request ids as oslo.context makes them: `req-<uuid>`. */
export const newRequestId = (): string => `req-${randomUUID()}`;

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
export const isUuidLike = (s: string): boolean => UUID_RE.test(s);
