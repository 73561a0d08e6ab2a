// Tokens for the all-in-one's own services (scheduler, conductor, compute → placement), minted by
// the embedded identity service for the bootstrap admin in its project: no password in a file,
// nothing on the wire. Renewed a few minutes before expiry.
import type { NovaConf } from '../config/index.ts';
import type { TokenSource } from '../service-auth/token-source.ts';
import type { IdentityService } from './service.ts';
import * as projects from './store/projects.ts';
import * as users from './store/users.ts';
import { issueToken } from './tokens/issue.ts';

export function embeddedServiceTokenSource(
  identity: IdentityService,
  conf: NovaConf,
  endpoints: Readonly<Record<string, string>>,
): TokenSource {
  let cached: { id: string; renewAt: number } | undefined;
  return {
    async token() {
      const now = identity.core.now().getTime();
      if (cached && cached.renewAt > now) return cached.id;
      const db = identity.core.db;
      const user = await users.findByName(db, conf.identity.bootstrap_username, 'default');
      const project = await projects.findByName(db, conf.identity.bootstrap_project_name, 'default');
      if (!user || !project)
        throw new Error(
          'The embedded identity service has no bootstrap admin yet (first start not finished).',
        );
      const t = issueToken(identity.core, {
        user_id: user.id,
        methods: ['password'],
        scope: { kind: 'project', id: project.id },
      });
      cached = { id: t.id, renewAt: t.payload.expires_at.getTime() - 300_000 };
      return t.id;
    },
    endpoint: async (serviceType) => endpoints[serviceType],
    invalidate() {
      cached = undefined;
    },
  };
}
