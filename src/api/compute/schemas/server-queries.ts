// The query schema most server sub-resources share (upstream's index_query / show_query): any
// parameter ignored until 2.102, none allowed from 2.102 on.
import { byVersion } from '../routing/route.ts';
import { querySchema } from '../validation/params.ts';

export const noQueryFrom2102 = byVersion(['2.1', querySchema({}, true)], ['2.102', querySchema({}, false)]);
