// Recognising what a compute answered to an RPC call: errors cross the wire by name (a virt
// driver's DriverNotSupported arrives as a RemoteError naming it), so the API matches names.
import { RemoteError } from '../faults/fault.ts';

/** The name of the error as the remote side raised it. */
export function remoteName(err: unknown): string | undefined {
  if (err instanceof RemoteError) return err.remoteName;
  return err instanceof Error ? err.name : undefined;
}

/** The driver cannot do it (upstream NotImplementedError), or the compute has no such method. */
export function isNotSupported(err: unknown): boolean {
  const name = remoteName(err);
  return name === 'DriverNotSupported' || name === 'NotImplementedError' || name === 'NoSuchMethod';
}

/** The guest's state does not allow the operation (upstream InstanceInvalidState). */
export function isInvalidState(err: unknown): boolean {
  return remoteName(err) === 'InstanceInvalidState';
}
