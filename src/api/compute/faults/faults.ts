// Typed faults of the Compute API that src/faults does not already have. Every one carries its
// HTTP status; faults/to-http.ts turns any of them into Nova's fault body.
import { Fault, Forbidden, Invalid, NotFound } from '../../../faults/fault.ts';

export const RESOURCE_NOT_FOUND = 'The resource could not be found.';

/** 404 with webob's generic text (unknown route, route outside its microversion range). */
export class ResourceNotFound extends NotFound {
  constructor() {
    super(RESOURCE_NOT_FOUND, 'compute.resource_not_found');
  }
}

/** 410: an API upstream removed (os-agents, os-cells, …). */
export class Gone extends Fault {
  constructor() {
    super('This resource is no longer available. No forwarding address is given.', 410, 'compute.gone');
  }
}

/** 400 from schema validation (nova.exception.ValidationError). */
export class ValidationFailed extends Invalid {
  constructor(detail: string) {
    super(detail, 'compute.validation');
  }
}

/** 400 for an unparsable body. */
export class MalformedBody extends Invalid {
  constructor() {
    super('Malformed request body', 'compute.malformed_body');
  }
}

/**
 * Quota exceeded. Upstream answers 403 for most resources (key pairs, server groups) and 413 with
 * Retry-After where it still uses OverQuota directly.
 */
export class OverQuota extends Fault {
  readonly retryAfter?: number;
  constructor(message: string, status: 403 | 413 = 403, retryAfter?: number) {
    super(message, status, 'compute.over_quota');
    this.retryAfter = retryAfter;
  }
}

/** 501: the driver or deployment cannot do it (os-hosts power actions …). */
export class NotImplementedFault extends Fault {
  constructor(message = 'The requested functionality is not supported.') {
    super(message, 501, 'compute.not_implemented');
  }
}

/** 403 with an explicit message (not a policy refusal). */
export class ForbiddenFault extends Forbidden {
  constructor(message: string) {
    super(message, 'compute.forbidden');
  }
}

/**
 * 500 with upstream's "Unexpected API Error" text naming the exception class (what nova-api
 * answers when a handler meets an error it does not expect, e.g. no endpoint for a proxied service).
 */
export class UnexpectedApiError extends Fault {
  constructor(pythonClass: string) {
    super(
      'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the ' +
        `Nova API log if possible.\n<class '${pythonClass}'>`,
      500,
      'compute.unexpected',
    );
  }
}
