// Keystone's error vocabulary. Each fault carries its HTTP status; http/errors.ts writes Keystone's
// body `{"error": {"code", "title", "message"}}` for all of them in one place.
import { Unauthorized } from '../auth/types.ts';
import { Conflict, Fault, Forbidden, Invalid, NotFound } from '../faults/fault.ts';

export { Unauthorized };

/** 404 "Could not find <kind>: <id>." */
export function notFound(kind: string, id: string): NotFound {
  return new NotFound(`Could not find ${kind}: ${id}.`, `identity.${kind.replace(/ /g, '_')}_not_found`);
}

/** 409 as Keystone words a duplicate. */
export function duplicate(kind: string, detail: string): Conflict {
  return new Conflict(
    `Conflict occurred attempting to store ${kind} - Duplicate entry found with ${detail}.`,
    'identity.duplicate',
  );
}

/** 400 for a request body Keystone's schemas (or its own checks) reject. */
export function invalid(message: string): Invalid {
  return new Invalid(message, 'identity.validation');
}

/** 400 "Expecting to find <attr> in <target>. …" (Keystone's ValidationError wording). */
export function missingAttribute(attr: string, target: string): Invalid {
  return invalid(
    `Expecting to find ${attr} in ${target}. The server could not comply with the request since it is ` +
      'either malformed or otherwise incorrect. The client is assumed to be in error.',
  );
}

/** 403 for an operation Keystone refuses whatever the caller's rights (its ForbiddenAction). */
export function forbiddenAction(action: string): Forbidden {
  const text = action.endsWith('.') ? action : `${action}.`;
  return new Forbidden(
    `You are not authorized to perform the requested action: ${text}`,
    'identity.forbidden_action',
  );
}

/** 401 with Keystone's generic text: never says which part (user, password, scope) was wrong. */
export function authFailed(): Unauthorized {
  return new Unauthorized('The request you have made requires authentication.', 'identity.auth_failed');
}

/** 404 for an X-Subject-Token that is invalid, expired or revoked. */
export function tokenNotFound(): NotFound {
  return new NotFound('Failed to validate token', 'identity.token_not_found');
}

export const TITLES: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
});

export { Fault };
