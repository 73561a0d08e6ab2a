// Services rows written straight to a cell database (conductor, scheduler; the conductor also
// serves computes' rows through this store).
import type { Clock } from '../common/clock.ts';
import type { Database } from '../db/index.ts';
import * as services from '../objects/service.ts';
import type { RegisteredService, ServiceIdentity, ServiceStore } from './service-store.ts';

export function dbServiceStore(db: Database, clock: Clock): ServiceStore {
  return {
    async register(identity: ServiceIdentity): Promise<RegisteredService> {
      const rec = await services.createOrGet(db, identity, clock.now());
      return { id: rec.id, uuid: rec.uuid };
    },
    async heartbeat(service: RegisteredService): Promise<void> {
      await services.heartbeat(db, service.id, clock.now());
    },
  };
}
