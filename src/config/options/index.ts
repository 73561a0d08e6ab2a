// Every option group nova-ts registers, listed by hand (no directory scanning). Adding a group:
// declare it in its own file, add it here. The conf type follows from this list.
import type { ConfOf } from '../option-types.ts';
import { buildRegistry } from '../registry.ts';
import { apiGroup, wsgiGroup } from './api.ts';
import { cinderGroup, keystoneGroup, novaGroup, placementGroup, serviceUserGroup } from './clients.ts';
import {
  consoleauthGroup,
  consoleGroup,
  mksGroup,
  serialConsoleGroup,
  spiceGroup,
  vncGroup,
} from './consoles.ts';
import { apiDatabaseGroup, databaseGroup, placementDatabaseGroup } from './database.ts';
import { defaultGroup } from './default/index.ts';
import { identityGroup, imageGroup, placementApiGroup } from './embedded.ts';
import { glanceGroup } from './glance.ts';
import { IGNORED_OPTIONS } from './ignored.ts';
import { keystoneAuthtokenGroup } from './keystone-authtoken.ts';
import { libvirtGroup } from './libvirt.ts';
import { devicesGroup, imageCacheGroup, notificationsGroup, pciGroup, workaroundsGroup } from './misc.ts';
import { networkDatabaseGroup, networkServiceGroup } from './network-service.ts';
import { neutronGroup } from './neutron.ts';
import {
  cacheGroup,
  keyManagerGroup,
  osloConcurrencyGroup,
  osloMessagingNotificationsGroup,
  osloPolicyGroup,
} from './oslo.ts';
import { rabbitGroup } from './rabbit.ts';
import { filterSchedulerGroup, schedulerGroup } from './scheduler.ts';
import { cellsGroup, computeGroup, conductorGroup, quotaGroup, upgradeLevelsGroup } from './services.ts';

export const GROUPS = [
  defaultGroup,
  apiGroup,
  wsgiGroup,
  databaseGroup,
  apiDatabaseGroup,
  placementDatabaseGroup,
  keystoneAuthtokenGroup,
  placementGroup,
  glanceGroup,
  neutronGroup,
  novaGroup,
  cinderGroup,
  keystoneGroup,
  serviceUserGroup,
  vncGroup,
  serialConsoleGroup,
  spiceGroup,
  mksGroup,
  consoleauthGroup,
  consoleGroup,
  libvirtGroup,
  osloConcurrencyGroup,
  rabbitGroup,
  osloMessagingNotificationsGroup,
  osloPolicyGroup,
  schedulerGroup,
  filterSchedulerGroup,
  conductorGroup,
  computeGroup,
  quotaGroup,
  cellsGroup,
  upgradeLevelsGroup,
  workaroundsGroup,
  notificationsGroup,
  devicesGroup,
  pciGroup,
  imageCacheGroup,
  keyManagerGroup,
  cacheGroup,
  identityGroup,
  imageGroup,
  placementApiGroup,
  networkServiceGroup,
  networkDatabaseGroup,
] as const;

/** The loaded configuration: `conf.<group>.<option>`, typed from the declarations, deeply frozen. */
export type NovaConf = ConfOf<typeof GROUPS>;

/** The registry of nova-ts's options (immutable; built once from GROUPS). */
export const NOVA_REGISTRY = buildRegistry(GROUPS, IGNORED_OPTIONS);
