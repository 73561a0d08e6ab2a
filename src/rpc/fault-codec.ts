// How a fault crosses the wire: {name, message, status, code} and nothing else (no stack, no cause).
// On the calling side a fault whose class is in the registry comes back as that class (so
// `instanceof NotFound` works); any other Fault comes back as a Fault with the remote name, status
// and code; a non-Fault error (TypeError…) comes back as RemoteError.
import {
  Conflict,
  Fault,
  Forbidden,
  Invalid,
  MessagingTimeout,
  NotFound,
  RemoteError,
} from '../faults/fault.ts';
import {
  InvalidMessage,
  InvalidPayload,
  NoSuchMethod,
  TransportClosed,
  UnsupportedVersion,
} from './faults.ts';

export interface SerialisedFault {
  readonly name: string;
  readonly message: string;
  /** Present only for Faults; absent means "some other error" and decodes to RemoteError. */
  readonly status?: number;
  readonly code?: string;
}

/** Any Fault subclass; its own constructor is not called when decoding (see decodeFault). */
export type FaultClass = abstract new (...args: never[]) => Fault;

/** Fault classes every transport knows; services add their own through TransportOptions.remoteFaults. */
export const DEFAULT_REMOTE_FAULTS: readonly FaultClass[] = Object.freeze([
  Fault,
  Invalid,
  NotFound,
  Conflict,
  Forbidden,
  MessagingTimeout,
  RemoteError,
  UnsupportedVersion,
  NoSuchMethod,
  InvalidPayload,
  InvalidMessage,
  TransportClosed,
]);

export function serialiseFault(err: unknown): SerialisedFault {
  if (err instanceof Fault)
    return { name: err.name, message: err.message, status: err.status, code: err.code };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

export type FaultDecoder = (f: SerialisedFault) => Fault;

/** Builds the decoder from an explicit list of classes, looked up by class name. */
export function createFaultDecoder(classes: readonly FaultClass[]): FaultDecoder {
  const byName = new Map<string, FaultClass>(classes.map((c) => [c.name, c]));
  return (f) => {
    if (f.status === undefined || f.code === undefined) return new RemoteError(f.name, f.message);
    const cls = byName.get(f.name);
    if (cls) {
      // Run only the Fault base constructor with new.target = cls: the instance has cls's prototype
      // and name, and the remote status and code, whatever cls's own constructor parameters are.
      return Reflect.construct(Fault, [f.message, f.status, f.code], cls) as Fault;
    }
    const fault = new Fault(f.message, f.status, f.code);
    fault.name = f.name;
    return fault;
  };
}
