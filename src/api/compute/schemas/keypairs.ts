// Key pair request schemas by microversion (upstream schemas/keypairs.py).
import { byVersion } from '../routing/route.ts';
import { multiParams, name, paginationParameters, querySchema, wrapped } from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

const keypairName = (pattern: string): JsonSchema => ({
  allOf: [name, { type: 'string', pattern, minLength: 1, maxLength: 255 }],
});
const NAME_V21 = keypairName('^[_\\- a-zA-Z0-9]+$');
const NAME_V292 = keypairName('^[_\\-@. a-zA-Z0-9]+$');
const TYPE: JsonSchema = { type: 'string', enum: ['ssh', 'x509'] };

const body = (props: Record<string, JsonSchema>, required: string[]) =>
  wrapped('keypair', { type: 'object', properties: props, required, additionalProperties: false });

export const createBody = byVersion(
  ['2.1', body({ name: NAME_V21, public_key: { type: 'string' } }, ['name'])],
  ['2.2', body({ name: NAME_V21, type: TYPE, public_key: { type: 'string' } }, ['name'])],
  [
    '2.10',
    body({ name: NAME_V21, type: TYPE, public_key: { type: 'string' }, user_id: { type: 'string' } }, [
      'name',
    ]),
  ],
  [
    '2.92',
    body({ name: NAME_V292, type: TYPE, public_key: { type: 'string' }, user_id: { type: 'string' } }, [
      'name',
      'public_key',
    ]),
  ],
);

const userId = { user_id: multiParams({ type: 'string' }) };

export const indexQuery = byVersion(
  ['2.1', querySchema({}, true)],
  ['2.10', querySchema(userId, true)],
  ['2.35', querySchema({ ...userId, ...paginationParameters }, true)],
  ['2.75', querySchema({ ...userId, ...paginationParameters }, false)],
);

/** show and delete */
export const itemQuery = byVersion(
  ['2.1', querySchema({}, true)],
  ['2.10', querySchema(userId, true)],
  ['2.75', querySchema(userId, false)],
);
