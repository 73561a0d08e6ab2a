// PUT /servers/{id} request schemas by microversion.
import { byVersion } from '../routing/route.ts';
import { description, name } from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

const body = (extra: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties: {
    server: {
      type: 'object',
      properties: {
        name,
        accessIPv4: { type: 'string', format: 'ipv4' },
        accessIPv6: { type: 'string', format: 'ipv6' },
        'OS-DCF:diskConfig': { type: 'string', enum: ['AUTO', 'MANUAL'] },
        ...extra,
      },
      additionalProperties: false,
    },
  },
  required: ['server'],
  additionalProperties: false,
});

const hostname: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 63,
  pattern: '^[a-zA-Z0-9][a-zA-Z0-9-._]*$',
};

export const updateBody = byVersion(
  ['2.1', body({})],
  ['2.19', body({ description })],
  ['2.90', body({ description, hostname })],
  ['2.94', body({ description, hostname: { ...hostname, maxLength: 255 } })],
);
