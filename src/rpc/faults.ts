// Faults raised by the RPC layer itself. Each is re-created with its class on the calling side
// (see fault-codec.ts), so callers can catch them by class.
import { Fault, type FaultOptions } from '../faults/fault.ts';

/** No endpoint in the requested namespace has a compatible version (same major, minor ≥ requested). */
export class UnsupportedVersion extends Fault {
  constructor(message: string, opts?: FaultOptions) {
    super(message, 500, 'nova.rpc.unsupported_version', opts);
  }
}

/** The endpoint that matched namespace and version has no such method. */
export class NoSuchMethod extends Fault {
  constructor(message: string, opts?: FaultOptions) {
    super(message, 500, 'nova.rpc.no_such_method', opts);
  }
}

/** Arguments or a result that are not plain JSON (Date, Map, class instance, NaN, cycle, bigint…). */
export class InvalidPayload extends Fault {
  constructor(message: string, opts?: FaultOptions) {
    super(message, 500, 'nova.rpc.invalid_payload', opts);
  }
}

/** A received message that is not a valid envelope (wrong shape or unknown envelope version). */
export class InvalidMessage extends Fault {
  constructor(message: string, opts?: FaultOptions) {
    super(message, 500, 'nova.rpc.invalid_message', opts);
  }
}

/** The transport was closed while the call waited, or before it was made. */
export class TransportClosed extends Fault {
  constructor(message: string, opts?: FaultOptions) {
    super(message, 503, 'nova.rpc.transport_closed', opts);
  }
}
