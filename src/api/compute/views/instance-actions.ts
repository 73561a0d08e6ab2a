// Instance action views (upstream instance_actions.py formatting): the action's fields (updated_at
// from 2.58) and its events, whose traceback, host, hostId and details depend on microversion and
// on what policy lets the caller see.
import { createHash } from 'node:crypto';
import { lastChange } from '../../../compute-api/instance-actions.ts';
import type { ActionEvent, InstanceAction } from '../../../objects/instance-action.ts';
import type { ApiVersion } from '../microversion.ts';
import { isoTime } from './time.ts';

/** Upstream's generate_hostid: sha224 of project id + host, "" without a host. */
export function hostId(host: string | null, projectId: string): string {
  if (!host) return '';
  return createHash('sha224').update(`${projectId}${host}`).digest('hex');
}

export function actionView(a: InstanceAction, mv: ApiVersion): Record<string, unknown> {
  return {
    action: a.action,
    instance_uuid: a.instance_uuid,
    request_id: a.request_id,
    user_id: a.user_id,
    project_id: a.project_id,
    start_time: isoTime(a.start_time),
    message: a.message,
    ...(mv.atLeast('2.58') && { updated_at: isoTime(lastChange(a)) }),
  };
}

export interface EventVisibility {
  readonly traceback: boolean;
  readonly host: boolean;
  readonly hostId: boolean;
  readonly details: boolean;
}

export function eventView(e: ActionEvent, projectId: string, show: EventVisibility): Record<string, unknown> {
  return {
    event: e.event,
    start_time: isoTime(e.start_time),
    finish_time: isoTime(e.finish_time),
    result: e.result,
    ...(show.traceback && { traceback: e.traceback }),
    ...(show.host && { host: e.host }),
    ...(show.hostId && { hostId: hostId(e.host, projectId) }),
    ...(show.details && { details: e.details }),
  };
}
