// A validated token as Keystone's `{"token": {…}}` body.
import type { CatalogEntry } from '../../catalog.ts';
import type { ValidatedToken } from '../../tokens/validate.ts';
import { isoTime, isoTimeOrNull } from './links.ts';

const ref = (x: { id: string; name: string }) => ({ id: x.id, name: x.name });

export function tokenView(t: ValidatedToken, catalog?: readonly CatalogEntry[]): Record<string, unknown> {
  const p = t.payload;
  const body: Record<string, unknown> = {
    methods: p.methods,
    user: {
      id: t.user.id,
      name: t.user.name,
      domain: ref(t.userDomain),
      password_expires_at: isoTimeOrNull(t.user.password_expires_at),
    },
    audit_ids: p.audit_ids,
    issued_at: isoTime(p.issued_at),
    expires_at: isoTime(p.expires_at),
  };
  if (t.project && t.projectDomain) {
    body.project = { ...ref(t.project), domain: ref(t.projectDomain) };
    body.is_domain = false;
  }
  if (t.domain) body.domain = ref(t.domain);
  if (p.scope.kind === 'system') body.system = { all: true };
  if (p.scope.kind !== 'unscoped') {
    body.roles = t.roles.map((r) => ({
      id: r.id,
      name: r.name,
      ...(r.domain_id ? { domain_id: r.domain_id } : {}),
    }));
  }
  if (t.appCred) {
    body.application_credential = {
      id: t.appCred.id,
      name: t.appCred.name,
      restricted: !t.appCred.unrestricted,
    };
  }
  if (catalog) body.catalog = catalog;
  return { token: body };
}
