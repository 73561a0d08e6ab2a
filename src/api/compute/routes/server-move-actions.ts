// The server actions that move or re-image a server, for POST /servers/{id}/action: resize,
// confirmResize, revertResize, migrate, os-migrateLive, evacuate, shelve, shelveOffload,
// unshelve, rebuild, createImage, createBackup. Merged into the action route by server-actions.ts.
import { defaultImageClient } from '../../../compute-api/image-proxy.ts';
import { adminPassword } from '../../../compute-api/servers/actions.ts';
import { embedFlavor, flavorFor } from '../../../compute-api/servers/create-input.ts';
import { locateInstance } from '../../../compute-api/servers/lookup.ts';
import type { Acting, MoveApiDeps } from '../../../compute-api/servers/move-support.ts';
import * as M from '../../../compute-api/servers/moves.ts';
import { rebuild } from '../../../compute-api/servers/rebuild.ts';
import { shelve, shelveOffload, unshelve } from '../../../compute-api/servers/shelve.ts';
import { createBackup, createImage } from '../../../compute-api/servers/snapshots.ts';
import type { ImageInfo } from '../../../image-client/client.ts';
import * as instances from '../../../objects/instance.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import type { ActionDef } from '../routing/actions.ts';
import type { RouteContext } from '../routing/route.ts';
import * as N from '../schemas/server-actions.ts';
import * as S from '../schemas/server-move-actions.ts';
import { backendOf, requestIdOf } from './server-deps.ts';
import { updatedBody } from './servers-read.ts';

const SP = SERVER_POLICIES;
const P = {
  resize: SP.servers.resize,
  confirmResize: SP.servers.confirmResize,
  revertResize: SP.servers.revertResize,
  rebuild: SP.servers.rebuild,
  rebuildTrustedCerts: SP.servers.rebuildTrustedCerts,
  createImage: SP.servers.createImage,
  createBackup: SP.createBackup,
  migrate: SP.migrate.migrate,
  migrateHost: SP.migrate.migrateHost,
  migrateLive: SP.migrate.migrateLive,
  migrateLiveHost: SP.migrate.migrateLiveHost,
  evacuate: SP.evacuate,
  shelve: SP.shelve.shelve,
  shelveOffload: SP.shelve.shelveOffload,
  unshelve: SP.shelve.unshelve,
  unshelveToHost: SP.shelve.unshelveToHost,
};

export const MOVE_ACTION_RULES: readonly string[] = Object.freeze(Object.values(P));

export function moveDeps(ctx: RouteContext): MoveApiDeps {
  const d = ctx.deps;
  return { conf: d.conf, apiDb: d.apiDb, cells: d.cells, clock: d.clock, backend: backendOf(ctx) };
}

/** Loads the server (404 when hidden) and checks the rule against its owner. */
export async function acting(ctx: RouteContext, rule: string, action: string): Promise<Acting> {
  const { cell, instance } = await locateInstance(
    ctx.deps.apiDb,
    ctx.deps.cells,
    ctx.auth,
    ctx.params.id,
    action,
  );
  ctx.authorize(rule, { project_id: instance.project_id, user_id: instance.user_id });
  return { auth: ctx.auth, requestId: requestIdOf(ctx), cell, inst: instance };
}

const images = (ctx: RouteContext) =>
  ctx.deps.imageClient ? ctx.deps.imageClient(ctx.auth) : defaultImageClient(ctx.deps.conf, ctx.auth);

const truthy = (v: unknown): boolean => v === true || (typeof v === 'string' && /^(true|1|on|yes)$/i.test(v));

/** 2.45 answers the image id in the body; before, a Location header names the image. */
function imageAnswer(ctx: RouteContext, image: ImageInfo | null) {
  if (!image) return undefined;
  if (ctx.mv.atLeast('2.45')) return { image_id: image.id };
  ctx.reply.header('location', ctx.links.item('images', image.id)[0].href);
  return undefined;
}

const password = (ctx: RouteContext, given: unknown) => adminPassword(ctx.deps.conf, given);

export const MOVE_ACTIONS: Readonly<Record<string, ActionDef>> = Object.freeze({
  resize: {
    body: S.resize,
    status: 202,
    handler: async (ctx) => {
      const a = await acting(ctx, P.resize, 'resize');
      const isAdmin = ctx.auth.roles.includes('admin');
      const f = await flavorFor(
        ctx.deps.apiDb,
        ctx.body.resize.flavorRef,
        ctx.auth.project_id ?? '',
        isAdmin,
      );
      await M.resize(moveDeps(ctx), a, { flavor: { embedded: embedFlavor(f), id: f.id }, host: null });
      return undefined;
    },
  },
  confirmResize: {
    body: N.nullBody('confirmResize'),
    status: 204,
    handler: async (ctx) => {
      await M.confirmResize(moveDeps(ctx), await acting(ctx, P.confirmResize, 'confirmResize'));
      return undefined;
    },
  },
  revertResize: {
    body: N.nullBody('revertResize'),
    status: 202,
    handler: async (ctx) => {
      await M.revertResize(moveDeps(ctx), await acting(ctx, P.revertResize, 'revertResize'));
      return undefined;
    },
  },
  migrate: {
    body: S.migrate,
    status: 202,
    handler: async (ctx) => {
      const host = (ctx.body.migrate?.host as string | null | undefined) ?? null;
      const a = await acting(ctx, host ? P.migrateHost : P.migrate, 'migrate');
      await M.resize(moveDeps(ctx), a, { flavor: null, host });
      return undefined;
    },
  },
  'os-migrateLive': {
    body: S.migrateLive,
    status: 202,
    handler: async (ctx) => {
      const b = ctx.body['os-migrateLive'];
      const host = (b.host as string | null) ?? null;
      const a = await acting(ctx, host ? P.migrateLiveHost : P.migrateLive, 'os-migrateLive');
      const bm = b.block_migration === 'auto' ? 'auto' : truthy(b.block_migration);
      await M.liveMigrate(moveDeps(ctx), a, { host, blockMigration: bm, force: truthy(b.force) });
      return undefined;
    },
  },
  evacuate: {
    body: S.evacuate,
    status: 200,
    handler: async (ctx) => {
      const b = ctx.body.evacuate ?? {};
      const a = await acting(ctx, P.evacuate, 'evacuate');
      const pass = password(ctx, b.adminPass);
      const host = (b.host as string | undefined) ?? null;
      // Before 2.29 a named host is used as is (forced); 2.29–2.67 force says so; from 2.68 never.
      const force = ctx.mv.atLeast('2.68') ? false : ctx.mv.atLeast('2.29') ? truthy(b.force) : host !== null;
      await M.evacuate(moveDeps(ctx), a, {
        host,
        force,
        adminPass: pass,
        targetState: ctx.mv.atLeast('2.95') ? 'stopped' : null,
      });
      return !ctx.mv.atLeast('2.14') && ctx.deps.conf.api.enable_instance_password
        ? { adminPass: pass }
        : undefined;
    },
  },
  shelve: {
    body: N.nullBody('shelve'),
    status: 202,
    handler: async (ctx) => {
      await shelve(moveDeps(ctx), await acting(ctx, P.shelve, 'shelve'), images(ctx));
      return undefined;
    },
  },
  shelveOffload: {
    body: N.nullBody('shelveOffload'),
    status: 202,
    handler: async (ctx) => {
      await shelveOffload(moveDeps(ctx), await acting(ctx, P.shelveOffload, 'shelveOffload'));
      return undefined;
    },
  },
  unshelve: {
    body: S.unshelve,
    status: 202,
    handler: async (ctx) => {
      const b = ctx.body.unshelve ?? null;
      const host = (b?.host as string | undefined) ?? null;
      const a = await acting(ctx, P.unshelve, 'unshelve');
      if (host) ctx.authorize(P.unshelveToHost, { project_id: a.inst.project_id, user_id: a.inst.user_id });
      await unshelve(moveDeps(ctx), a, {
        ...(b && 'availability_zone' in b ? { availabilityZone: b.availability_zone as string | null } : {}),
        host,
      });
      return undefined;
    },
  },
  rebuild: {
    body: S.rebuild,
    status: 202,
    handler: async (ctx) => {
      const b = ctx.body.rebuild;
      const a = await acting(ctx, P.rebuild, 'rebuild');
      if (b.trusted_image_certificates)
        ctx.authorize(P.rebuildTrustedCerts, { project_id: a.inst.project_id, user_id: a.inst.user_id });
      const pass = password(ctx, b.adminPass);
      await rebuild(moveDeps(ctx), a, images(ctx), {
        imageRef: b.imageRef,
        adminPass: pass,
        preserveEphemeral: truthy(b.preserve_ephemeral),
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.metadata !== undefined ? { metadata: b.metadata } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.key_name !== undefined ? { keyName: b.key_name } : {}),
        ...(b.user_data !== undefined ? { userData: b.user_data } : {}),
        ...(b.trusted_image_certificates !== undefined ? { trustedCerts: b.trusted_image_certificates } : {}),
        ...(b.hostname !== undefined ? { hostname: b.hostname } : {}),
        ...(b.accessIPv4 !== undefined ? { accessIPv4: b.accessIPv4 } : {}),
        ...(b.accessIPv6 !== undefined ? { accessIPv6: b.accessIPv6 } : {}),
      });
      const view = await updatedBody(ctx, ctx.params.id);
      delete view.server['OS-EXT-SRV-ATTR:user_data'];
      const inst = await instances.get(a.cell.db, a.inst.uuid);
      return {
        server: {
          ...view.server,
          // 2.54: key_name; 2.57: user_data at the top (so not again as an extended attribute).
          ...(ctx.mv.atLeast('2.54') ? { key_name: inst.key_name } : {}),
          ...(ctx.mv.atLeast('2.57') ? { user_data: inst.user_data } : {}),
          ...(ctx.deps.conf.api.enable_instance_password && pass ? { adminPass: pass } : {}),
        },
      };
    },
  },
  createImage: {
    body: S.createImage,
    status: 202,
    handler: async (ctx) => {
      const b = ctx.body.createImage;
      const a = await acting(ctx, P.createImage, 'createImage');
      const image = await createImage(moveDeps(ctx), a, images(ctx), b.name, b.metadata ?? {});
      return imageAnswer(ctx, image);
    },
  },
  createBackup: {
    body: S.createBackup,
    status: 202,
    handler: async (ctx) => {
      const b = ctx.body.createBackup;
      const a = await acting(ctx, P.createBackup, 'createBackup');
      const image = await createBackup(moveDeps(ctx), a, images(ctx), {
        name: b.name,
        backupType: b.backup_type,
        rotation: Number(b.rotation),
        metadata: b.metadata ?? {},
      });
      return imageAnswer(ctx, image);
    },
  },
});
