// os-interface request schemas (upstream schemas/attach_interfaces.py): net_id or port_id, one
// fixed IP, and a tag from 2.49.
import { byVersion } from '../routing/route.ts';
import type { JsonSchema } from '../validation/validator.ts';

const UUID = { type: 'string', format: 'uuid' };
const attachment = (withTag: boolean): JsonSchema => ({
  type: 'object',
  properties: {
    net_id: UUID,
    port_id: UUID,
    fixed_ips: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        properties: { ip_address: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] } },
        required: ['ip_address'],
        additionalProperties: false,
      },
    },
    ...(withTag ? { tag: { type: 'string', pattern: '^[^,/]*$', minLength: 1, maxLength: 60 } } : {}),
  },
  additionalProperties: false,
});
const body = (withTag: boolean): JsonSchema => ({
  type: 'object',
  properties: { interfaceAttachment: attachment(withTag) },
  additionalProperties: false,
});

export const createBody = byVersion(['2.1', body(false)], ['2.49', body(true)]);
