// os-instance-actions query schemas (upstream schemas/instance_actions.py): paging and
// changes-since from 2.58, changes-before from 2.66, strict show query from 2.102.
import { byVersion } from '../routing/route.ts';
import { nonNegativeInteger, querySchema, singleParam } from '../validation/params.ts';

const dateTime = singleParam({ type: 'string', format: 'date-time' });
const v258 = {
  limit: singleParam(nonNegativeInteger),
  marker: singleParam({ type: 'string' }),
  'changes-since': dateTime,
};

export const indexQuery = byVersion(
  ['2.1', querySchema({}, true)],
  ['2.58', querySchema(v258, false)],
  ['2.66', querySchema({ ...v258, 'changes-before': dateTime }, false)],
);

export { noQueryFrom2102 as showQuery } from './server-queries.ts';
