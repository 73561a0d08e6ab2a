// `auth_strategy = noauth2`, as upstream's test setting: the token is `user:project` (or just
// `user`, then project = user); the user `admin` gets the admin role. Never for production.
import type { AuthContext, TokenValidator } from './types.ts';
import { Unauthorized } from './types.ts';

export function noauth2Validator(): TokenValidator {
  return {
    async validate(token: string): Promise<AuthContext> {
      if (!token) throw new Unauthorized();
      const [user, project = user] = token.split(':', 2);
      const admin = user === 'admin';
      return {
        token,
        user_id: user,
        user_name: user,
        project_id: project,
        project_name: project,
        user_domain_id: 'default',
        project_domain_id: 'default',
        roles: admin ? ['admin', 'manager', 'member', 'reader'] : ['member', 'reader'],
        is_admin_project: true,
      };
    },
  };
}
