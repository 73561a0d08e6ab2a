// POST /servers/{id}/action: power, pause/suspend, rescue, lock, reset state, console output,
// password, crash dump, restore/force delete. Each action loads the instance (404 when the caller
// may not see it), checks its policy against the instance's owner, then acts.

import type { CellRef } from '../../../cells/lookup.ts';
import { isNotSupported } from '../../../compute-api/rpc-errors.ts';
import * as A from '../../../compute-api/servers/actions.ts';
import { deleteServer, restoreServer, rpcContext } from '../../../compute-api/servers/delete.ts';
import { checkLock, checkState, locateInstance } from '../../../compute-api/servers/lookup.ts';
import { Conflict, Invalid } from '../../../faults/fault.ts';
import type { Instance } from '../../../objects/instance.ts';
import * as instances from '../../../objects/instance.ts';
import { NotImplementedFault } from '../faults/faults.ts';
import { type ActionDef, actionRoute } from '../routing/actions.ts';
import type { RouteContext } from '../routing/route.ts';
import * as S from '../schemas/server-actions.ts';
import { FLOATING_IP_ACTION_RULES, FLOATING_IP_ACTIONS } from './floating-ips.ts';
import { CONSOLE_ACTION_RULES, CONSOLE_ACTIONS } from './remote-consoles.ts';
import { SECURITY_GROUP_ACTION_RULES, SECURITY_GROUP_ACTIONS } from './security-groups.ts';
import { backendOf, requestIdOf } from './server-deps.ts';
import { MOVE_ACTION_RULES, MOVE_ACTIONS } from './server-move-actions.ts';

const P = {
  stop: 'os_compute_api:servers:stop',
  start: 'os_compute_api:servers:start',
  reboot: 'os_compute_api:servers:reboot',
  pause: 'os_compute_api:os-pause-server:pause',
  unpause: 'os_compute_api:os-pause-server:unpause',
  suspend: 'os_compute_api:os-suspend-server:suspend',
  resume: 'os_compute_api:os-suspend-server:resume',
  rescue: 'os_compute_api:os-rescue',
  unrescue: 'os_compute_api:os-unrescue',
  lock: 'os_compute_api:os-lock-server:lock',
  unlock: 'os_compute_api:os-lock-server:unlock',
  unlockOverride: 'os_compute_api:os-lock-server:unlock:unlock_override',
  resetState: 'os_compute_api:os-admin-actions:reset_state',
  injectNetworkInfo: 'os_compute_api:os-admin-actions:inject_network_info',
  crashDump: 'os_compute_api:servers:trigger_crash_dump',
  consoleOutput: 'os_compute_api:os-console-output',
  changePassword: 'os_compute_api:os-admin-password',
  restore: 'os_compute_api:os-deferred-delete:restore',
  forceDelete: 'os_compute_api:os-deferred-delete:force',
};

interface Loaded {
  readonly cell: CellRef;
  readonly inst: Instance;
  readonly requestId: string;
  readonly d: A.ActionDeps;
}

/** Loads the server and checks the rule with the instance's owner as the target. */
async function load(ctx: RouteContext, rule: string, action: string): Promise<Loaded> {
  const { cell, instance } = await locateInstance(
    ctx.deps.apiDb,
    ctx.deps.cells,
    ctx.auth,
    ctx.params.id,
    action,
  );
  ctx.authorize(rule, { project_id: instance.project_id, user_id: instance.user_id });
  return {
    cell,
    inst: instance,
    requestId: requestIdOf(ctx),
    d: { clock: ctx.deps.clock, backend: backendOf(ctx) },
  };
}

function cast(name: keyof typeof A.CAST_ACTIONS, rule: string, body = S.nullBody(name)): ActionDef {
  return {
    body,
    status: 202,
    handler: async (ctx) => {
      const l = await load(ctx, rule, name);
      await A.castAction(l.d, ctx.auth, l.requestId, l.cell, l.inst, A.CAST_ACTIONS[name]);
      return undefined;
    },
  };
}

const ACTIONS: Readonly<Record<string, ActionDef>> = {
  'os-stop': { ...cast('stop', P.stop, S.nullBody('os-stop')) },
  'os-start': { ...cast('start', P.start, S.nullBody('os-start')) },
  pause: cast('pause', P.pause),
  unpause: cast('unpause', P.unpause),
  suspend: cast('suspend', P.suspend),
  resume: cast('resume', P.resume),
  unrescue: cast('unrescue', P.unrescue),
  reboot: {
    body: S.reboot,
    status: 202,
    handler: async (ctx) => {
      const l = await load(ctx, P.reboot, 'reboot');
      const type = String(ctx.body.reboot.type).toUpperCase() as 'SOFT' | 'HARD';
      await A.reboot(l.d, ctx.auth, l.requestId, l.cell, l.inst, type);
      return undefined;
    },
  },
  rescue: {
    body: S.rescue,
    handler: async (ctx) => {
      const l = await load(ctx, P.rescue, 'rescue');
      const conf = ctx.deps.conf;
      const pass = A.adminPassword(conf, ctx.body.rescue?.adminPass);
      await A.castAction(l.d, ctx.auth, l.requestId, l.cell, l.inst, A.CAST_ACTIONS.rescue, {
        rescue_password: pass,
        rescue_image_ref: ctx.body.rescue?.rescue_image_ref ?? null,
      });
      return conf.api.enable_instance_password && pass !== null ? { adminPass: pass } : undefined;
    },
  },
  lock: {
    body: S.lock,
    status: 202,
    handler: async (ctx) => {
      const l = await load(ctx, P.lock, 'lock');
      const reason = (ctx.body.lock?.locked_reason as string | undefined) ?? null;
      await A.lock(l.d, ctx.auth, l.requestId, l.cell, l.inst, reason);
      return undefined;
    },
  },
  unlock: {
    body: S.nullBody('unlock'),
    status: 202,
    handler: async (ctx) => {
      const l = await load(ctx, P.unlock, 'unlock');
      if (l.inst.locked_by === 'admin' && l.inst.project_id === ctx.auth.project_id)
        ctx.authorize(P.unlockOverride, { project_id: l.inst.project_id, user_id: l.inst.user_id });
      await A.unlock(l.d, ctx.auth, l.requestId, l.cell, l.inst);
      return undefined;
    },
  },
  'os-resetState': {
    body: S.resetState,
    status: 202,
    handler: async (ctx) => {
      const l = await load(ctx, P.resetState, 'os-resetState');
      await A.resetState(l.d, ctx.auth, l.requestId, l.cell, l.inst, ctx.body['os-resetState'].state);
      return undefined;
    },
  },
  injectNetworkInfo: {
    body: S.nullBody('injectNetworkInfo'),
    status: 202,
    handler: async (ctx) => {
      const l = await load(ctx, P.injectNetworkInfo, 'injectNetworkInfo');
      if (l.inst.host)
        await l.d.backend.compute.cast(
          rpcContext(ctx.auth, l.requestId),
          l.inst.host,
          'inject_network_info',
          {
            instance_uuid: l.inst.uuid,
          },
        );
      return undefined;
    },
  },
  trigger_crash_dump: {
    minVersion: '2.17',
    body: S.nullBody('trigger_crash_dump'),
    status: 202,
    handler: async (ctx) => {
      const l = await load(ctx, P.crashDump, 'trigger_crash_dump');
      await A.triggerCrashDump(l.d, ctx.auth, l.requestId, l.cell, l.inst);
      return undefined;
    },
  },
  'os-getConsoleOutput': {
    body: S.consoleOutput,
    handler: async (ctx) => {
      const l = await load(ctx, P.consoleOutput, 'get_console_output');
      checkState(l.inst, 'get_console_output', {
        vmStates: ['active', 'paused', 'rescued', 'resized', 'stopped', 'suspended', 'error'],
        taskStates: 'any',
      });
      const raw = ctx.body['os-getConsoleOutput'].length;
      const length = raw === undefined || raw === null ? null : Number(raw);
      if (length !== null && length < -1) throw new Invalid('length must be -1 or more');
      if (!l.inst.host) throw new Conflict(`Instance ${l.inst.uuid} has no host.`);
      const output = await l.d.backend.compute.call<string>(
        rpcContext(ctx.auth, l.requestId),
        l.inst.host,
        'get_console_output',
        {
          instance_uuid: l.inst.uuid,
          tail_length: length === -1 ? null : length,
        },
      );
      return { output };
    },
  },
  changePassword: {
    body: S.changePassword,
    status: 202,
    handler: async (ctx) => {
      const l = await load(ctx, P.changePassword, 'changePassword');
      checkLock(l.inst, ctx.auth);
      checkState(l.inst, 'set_admin_password', { vmStates: ['active'] });
      if (!l.inst.host) throw new Conflict(`Instance ${l.inst.uuid} has no host.`);
      await instances.update(
        l.cell.db,
        l.inst.uuid,
        { task_state: 'updating_password' },
        ctx.deps.clock.now(),
        {
          expectedTaskState: [null],
        },
      );
      try {
        await l.d.backend.compute.call(rpcContext(ctx.auth, l.requestId), l.inst.host, 'set_admin_password', {
          instance_uuid: l.inst.uuid,
          new_pass: ctx.body.changePassword.adminPass,
        });
      } catch (err) {
        if (isNotSupported(err)) throw new NotImplementedFault('Unable to set password on instance');
        throw err;
      }
      return undefined;
    },
  },
  restore: {
    body: S.nullBody('restore'),
    status: 202,
    handler: async (ctx) => {
      const l = await load(ctx, P.restore, 'restore');
      await restoreServer(
        {
          conf: ctx.deps.conf,
          apiDb: ctx.deps.apiDb,
          cells: ctx.deps.cells,
          clock: ctx.deps.clock,
          backend: l.d.backend,
        },
        ctx.auth,
        l.requestId,
        l.inst,
        l.cell,
      );
      return undefined;
    },
  },
  forceDelete: {
    body: S.nullBody('forceDelete'),
    status: 202,
    handler: async (ctx) => {
      const l = await load(ctx, P.forceDelete, 'forceDelete');
      checkState(l.inst, 'force_delete', { vmStates: ['soft-delete'], taskStates: 'any' });
      await deleteServer(
        {
          conf: ctx.deps.conf,
          apiDb: ctx.deps.apiDb,
          cells: ctx.deps.cells,
          clock: ctx.deps.clock,
          backend: l.d.backend,
        },
        ctx.auth,
        l.requestId,
        l.inst.uuid,
        { force: true },
      );
      return undefined;
    },
  },
};

export const SERVER_ACTION_ROUTES = [
  actionRoute({
    url: '/servers/:id/action',
    actions: {
      ...ACTIONS,
      ...MOVE_ACTIONS,
      ...CONSOLE_ACTIONS,
      ...SECURITY_GROUP_ACTIONS,
      ...FLOATING_IP_ACTIONS,
    },
    rules: [
      ...Object.values(P),
      ...MOVE_ACTION_RULES,
      ...CONSOLE_ACTION_RULES,
      ...SECURITY_GROUP_ACTION_RULES,
      ...Object.values(FLOATING_IP_ACTION_RULES),
    ],
  }),
];

/** Lets other modules (resize, shelve, …) add their actions to the same route. */
export function serverActionRoute(extra: Readonly<Record<string, ActionDef>>) {
  return actionRoute({
    url: '/servers/:id/action',
    actions: { ...ACTIONS, ...extra },
    rules: Object.values(P),
  });
}
