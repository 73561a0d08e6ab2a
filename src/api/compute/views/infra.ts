// Aggregate and server group views (upstream aggregates.py _marshall_aggregate, server_groups.py).
import type { Aggregate } from '../../../objects/aggregate.ts';
import type { InstanceGroup } from '../../../objects/instance-group.ts';
import type { ApiVersion } from '../microversion.ts';
import { isoTime } from './time.ts';

export function aggregateView(a: Aggregate, mv: ApiVersion, brief = false) {
  const view: Record<string, unknown> = {
    availability_zone: a.availability_zone,
    created_at: isoTime(a.created_at),
    deleted: false,
    deleted_at: null,
    id: a.id,
    name: a.name,
    updated_at: isoTime(a.updated_at),
    ...(!brief && { hosts: [...a.hosts], metadata: { ...a.metadata } }),
    ...(mv.atLeast('2.41') && { uuid: a.uuid }),
  };
  return view;
}

export function serverGroupView(g: InstanceGroup, mv: ApiVersion, members: readonly string[]) {
  return {
    id: g.uuid,
    name: g.name,
    ...(mv.atLeast('2.64')
      ? { policy: g.policy, rules: { ...g.rules } }
      : { policies: g.policy ? [g.policy] : [], metadata: {} }),
    members: [...members],
    ...(mv.atLeast('2.13') && { project_id: g.project_id, user_id: g.user_id }),
  };
}
