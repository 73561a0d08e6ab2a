// Server metadata request bodies (upstream schemas/server_metadata.py): keys 1–255 characters of
// [a-zA-Z0-9-_:. ], values strings of at most 255; PUT of one item carries exactly one key.
import { byVersion } from '../routing/route.ts';
import { wrapped } from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

const metadata: JsonSchema = {
  type: 'object',
  patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: 'string', maxLength: 255 } },
  additionalProperties: false,
};

/** POST (merge) and PUT (replace) of the whole set. */
export const metadataBody = byVersion(['2.1', wrapped('metadata', metadata)]);

/** PUT /metadata/{key}. */
export const metaItemBody = byVersion([
  '2.1',
  wrapped('meta', { ...metadata, minProperties: 1, maxProperties: 1 }),
]);
