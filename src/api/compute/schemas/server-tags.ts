// Server tag request schemas (upstream schemas/server_tags.py, parameter_types.tag).
import { MAX_TAG_LENGTH } from '../../../compute-api/server-tags.ts';
import { MAX_TAGS } from '../../../objects/tag.ts';
import { byVersion } from '../routing/route.ts';
import { querySchema } from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';

export const tag: JsonSchema = Object.freeze({
  type: 'string',
  pattern: '^[^,/]*$',
  minLength: 1,
  maxLength: MAX_TAG_LENGTH,
});

export const replaceAllBody = byVersion([
  '2.26',
  {
    type: 'object',
    properties: { tags: { type: 'array', items: tag, maxItems: MAX_TAGS } },
    required: ['tags'],
    additionalProperties: false,
  },
]);

/** PUT /tags/{tag} takes no body. */
export const addOneBody = byVersion(['2.26', { type: 'null' }]);

/** GET routes: upstream's tags controller accepts any query parameter. */
export const anyQuery = byVersion(['2.26', querySchema({}, true)]);
