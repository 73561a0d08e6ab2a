// Who may see and do what to an image: Glance's visibility rules (what its database layer hides)
// plus the policy checks, with its habit of answering 404 rather than 403 to callers who may not
// see the image at all.
import type { AuthContext } from '../auth/types.ts';
import type { Enforcer, PolicyTarget } from '../policy/types.ts';
import { imageNotFound, notAuthorized } from './faults.ts';
import type { Image, ImageMember } from './model.ts';

export interface Caller {
  readonly auth: AuthContext;
  /** `context_is_admin` holds. */
  readonly admin: boolean;
  readonly project: string | undefined;
}

export function callerOf(auth: AuthContext, enforcer: Enforcer): Caller {
  return Object.freeze({
    auth,
    admin: enforcer.enforce('context_is_admin', {}, auth),
    project: auth.project_id,
  });
}

/** Glance's is_image_visible: admins, the owner, public/community images, and any member of a shared one. */
export function canSee(image: Image, caller: Caller, membership: ImageMember | undefined): boolean {
  if (caller.admin) return true;
  if (image.owner !== null && image.owner === caller.project) return true;
  if (image.visibility === 'public' || image.visibility === 'community') return true;
  return image.visibility === 'shared' && membership !== undefined;
}

/** The policy target of an existing image (Glance's ImageTarget). */
export function imageTarget(image: Image, caller: Caller, membership: ImageMember | undefined): PolicyTarget {
  return Object.freeze({
    ...image.properties,
    id: image.id,
    name: image.name,
    status: image.status,
    visibility: image.visibility,
    protected: image.protected,
    owner: image.owner,
    project_id: image.owner,
    member_id: membership ? caller.project : undefined,
  });
}

/** The target of a proposed image (create). */
export function proposedTarget(
  owner: string | null | undefined,
  visibility: string | undefined,
  caller: Caller,
) {
  const o = owner ?? caller.project;
  return Object.freeze({ project_id: o, owner: o, visibility: visibility ?? 'private' });
}

export interface ImageAccess {
  readonly image: Image;
  readonly caller: Caller;
  readonly membership: ImageMember | undefined;
}

/**
 * Enforces `rule` on the image. A caller denied who cannot even get the image sees 404 (as
 * Glance's ImageAPIPolicy), otherwise 403.
 */
export function authorizeImage(enforcer: Enforcer, rule: string, a: ImageAccess): void {
  const target = imageTarget(a.image, a.caller, a.membership);
  if (enforcer.enforce(rule, target, a.caller.auth)) return;
  if (rule === 'get_image' || !enforcer.enforce('get_image', target, a.caller.auth))
    throw imageNotFound(a.image.id);
  throw notAuthorized(rule);
}

/** The visibility-specific rule a change of visibility needs (publicize/communitize). */
export function authorizeVisibility(
  enforcer: Enforcer,
  visibility: string,
  target: PolicyTarget,
  caller: Caller,
) {
  const rule =
    visibility === 'public'
      ? 'publicize_image'
      : visibility === 'community'
        ? 'communitize_image'
        : undefined;
  if (rule && !enforcer.enforce(rule, target, caller.auth)) throw notAuthorized(rule);
}
