// The identity API's route modules (explicit registry, one module per resource family).
import type { FastifyInstance } from 'fastify';
import type { RouteCtx } from '../context.ts';
import { appCredRoutes } from './app-creds.ts';
import { authScopeRoutes } from './auth-scopes.ts';
import { authTokenRoutes } from './auth-tokens.ts';
import { catalogRoutes } from './catalog.ts';
import { discoveryRoutes } from './discovery.ts';
import { domainRoutes } from './domains.ts';
import { grantRoutes } from './grants.ts';
import { groupRoutes } from './groups.ts';
import { projectRoutes } from './projects.ts';
import { roleAssignmentRoutes } from './role-assignments.ts';
import { roleRoutes } from './roles.ts';
import { userRoutes } from './users.ts';

export const ROUTE_MODULES: readonly ((app: FastifyInstance, ctx: RouteCtx) => void)[] = [
  discoveryRoutes,
  authTokenRoutes,
  authScopeRoutes,
  domainRoutes,
  projectRoutes,
  userRoutes,
  groupRoutes,
  roleRoutes,
  grantRoutes,
  roleAssignmentRoutes,
  catalogRoutes,
  appCredRoutes,
];
