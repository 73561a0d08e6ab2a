// Who is asking, as upstream's metadata handler decides it. Behind the Neutron metadata proxy
// ([neutron] service_metadata_proxy = true) the proxy names the instance in X-Instance-ID and
// X-Tenant-ID and signs the id (X-Instance-ID-Signature: hex HMAC-SHA256 keyed with [neutron]
// metadata_proxy_shared_secret); a missing or repeated header is 400, a wrong signature 403.
// Otherwise the caller is the instance owning the request's source address (X-Forwarded-For only
// with [api] use_forwarded_for, for a trusted proxy in front).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Fault } from '../faults/fault.ts';

export type Requester =
  | {
      readonly kind: 'instance';
      readonly uuid: string;
      readonly tenant: string;
      readonly address: string | null;
    }
  | { readonly kind: 'address'; readonly address: string };

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface RequesterOptions {
  readonly serviceMetadataProxy: boolean;
  readonly sharedSecret: string;
  readonly useForwardedFor: boolean;
}

/** A request the service refuses, with upstream's status and explanation. */
export class MetadataRequestError extends Fault {}

const badRequest = (msg: string) => new MetadataRequestError(msg, 400, 'nova.metadata_bad_request');

/** The hex HMAC-SHA256 of `id` keyed with the shared secret (what the proxy sends). */
export function signInstanceId(secret: string, id: string): string {
  return createHmac('sha256', secret).update(id).digest('hex');
}

function signatureMatches(secret: string, id: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signInstanceId(secret, id));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function fromProxy(h: Headers, secret: string): Requester {
  const ids = one(h['x-instance-id']);
  const tenants = one(h['x-tenant-id']);
  const signature = one(h['x-instance-id-signature'])[0];
  const forwarded = one(h['x-forwarded-for'])[0];
  if (ids.length === 0) throw badRequest('X-Instance-ID header is missing from request.');
  if (signature === undefined) throw badRequest('X-Instance-ID-Signature header is missing from request.');
  if (tenants.length === 0) throw badRequest('X-Tenant-ID header is missing from request.');
  if (ids.length > 1) throw badRequest('Multiple X-Instance-ID headers found within request.');
  if (tenants.length > 1) throw badRequest('Multiple X-Tenant-ID headers found within request.');
  const uuid = ids[0] as string;
  if (!signatureMatches(secret, uuid, signature))
    throw new MetadataRequestError('Invalid proxy request signature.', 403, 'nova.metadata_bad_signature');
  return { kind: 'instance', uuid, tenant: tenants[0] as string, address: forwarded ?? null };
}

/** The socket address without the IPv4-mapped IPv6 prefix. */
export const plainAddress = (a: string) => a.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/** Identifies the caller of one request (throws MetadataRequestError for 400 / 403). */
export function identify(o: RequesterOptions, headers: Headers, remoteAddress: string): Requester {
  if (o.serviceMetadataProxy) return fromProxy(headers, o.sharedSecret);
  const forwarded = one(headers['x-forwarded-for'])[0];
  const address =
    o.useForwardedFor && forwarded ? (forwarded.split(',')[0] ?? '').trim() : plainAddress(remoteAddress);
  return { kind: 'address', address };
}
