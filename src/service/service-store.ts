// Where a daemon registers its `services` row and sends heartbeats. Daemons with a cell database
// write it directly; nova-compute (no database credentials, as upstream) goes through the conductor.

export interface ServiceIdentity {
  readonly host: string;
  readonly binary: string;
  readonly topic: string;
  readonly version: number;
}

export interface RegisteredService {
  readonly id: number;
  readonly uuid: string;
}

export interface ServiceStore {
  register(identity: ServiceIdentity): Promise<RegisteredService>;
  heartbeat(service: RegisteredService): Promise<void>;
}
