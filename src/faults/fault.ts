// Typed faults. Each carries a stable code and the HTTP status it maps to; the APIs turn them into
// their own error bodies in one place each (compute: faults/to-http.ts, later issues).

export interface FaultOptions {
  readonly cause?: unknown;
}

export class Fault extends Error {
  readonly status: number;
  readonly code: string;
  constructor(message: string, status = 500, code = 'nova.fault', opts: FaultOptions = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
  }
}

export class Invalid extends Fault {
  constructor(message: string, code = 'nova.invalid', opts?: FaultOptions) {
    super(message, 400, code, opts);
  }
}

export class NotFound extends Fault {
  constructor(message: string, code = 'nova.not_found', opts?: FaultOptions) {
    super(message, 404, code, opts);
  }
}

export class Conflict extends Fault {
  constructor(message: string, code = 'nova.conflict', opts?: FaultOptions) {
    super(message, 409, code, opts);
  }
}

export class Forbidden extends Fault {
  constructor(message: string, code = 'nova.forbidden', opts?: FaultOptions) {
    super(message, 403, code, opts);
  }
}

/** An RPC call got no reply within rpc_response_timeout (oslo.messaging MessagingTimeout). */
export class MessagingTimeout extends Fault {
  constructor(message: string, opts?: FaultOptions) {
    super(message, 504, 'nova.messaging_timeout', opts);
  }
}

/** The remote side of an RPC call raised; carries the remote fault's name and message. */
export class RemoteError extends Fault {
  readonly remoteName: string;
  constructor(remoteName: string, message: string, status = 500, code = 'nova.remote_error') {
    super(message, status, code);
    this.remoteName = remoteName;
  }
}

/**
 * A problem a command or daemon reports as one clear line and a non-zero exit: what failed, where,
 * and what to do. No stack trace.
 */
export class StartupError extends Fault {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1, opts?: FaultOptions) {
    super(message, 500, 'nova.startup', opts);
    this.exitCode = exitCode;
  }
}
