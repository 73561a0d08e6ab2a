// Typed errors virt drivers throw. The instance faults keep upstream's exception names, messages
// and codes (nova/exception.py) so compute and the APIs can map them without knowing the driver.
import { Conflict, Invalid, NotFound } from '../faults/fault.ts';

/** The driver has no guest for this instance (upstream InstanceNotFound, 404). */
export class InstanceNotFound extends NotFound {
  readonly instanceUuid: string;
  constructor(instanceUuid: string) {
    super(`Instance ${instanceUuid} could not be found.`, 'nova.instance_not_found');
    this.instanceUuid = instanceUuid;
  }
}

/** A guest with this uuid already exists on the hypervisor (upstream InstanceExists, 409). */
export class InstanceExists extends Conflict {
  constructor(name: string) {
    super(`Instance ${name} already exists.`, 'nova.instance_exists');
  }
}

/** The guest's power state does not allow the operation (upstream InstanceInvalidState). */
export class InstanceInvalidState extends Invalid {
  readonly instanceUuid: string;
  constructor(instanceUuid: string, attr: string, state: string, method: string) {
    super(
      `Instance ${instanceUuid} in ${attr} ${state}. Cannot ${method} while the instance is in this state.`,
      'nova.instance_invalid_state',
    );
    this.instanceUuid = instanceUuid;
  }
}

/** A failure injected by a test into a fake driver operation. */
export class InjectedFailure extends Error {
  readonly operation: string;
  constructor(operation: string, message?: string) {
    super(message ?? `Injected failure of ${operation}.`);
    this.name = 'InjectedFailure';
    this.operation = operation;
  }
}

/** A live migration stopped by its AbortSignal; the guest stays on the source. */
export class LiveMigrationAborted extends Error {
  readonly instanceUuid: string;
  constructor(instanceUuid: string, reason?: unknown) {
    super(`Live migration of instance ${instanceUuid} was aborted.`, { cause: reason });
    this.name = 'AbortError';
    this.instanceUuid = instanceUuid;
  }
}

/** A live migration to the host the guest already runs on (upstream UnableToMigrateToSelf). */
export class UnableToMigrateToSelf extends Invalid {
  constructor(instanceUuid: string, host: string) {
    super(
      `Unable to migrate instance (${instanceUuid}) to current host (${host}).`,
      'nova.unable_to_migrate_to_self',
    );
  }
}

/** The instance has no running guest to give a console of (upstream InstanceNotReady, 409). */
export class InstanceNotReady extends InstanceInvalidState {
  constructor(uuid: string) {
    super(uuid, 'power_state', 'shutdown', 'get a console');
  }
}
