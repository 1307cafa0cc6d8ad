import { AccountScope, scopeOf } from '@wwb/persistence';
import type { UserRole } from './role.policy';

/** A console user behind a session cookie. */
export interface PrincipalUser {
  userId: string;
  role: UserRole;
}

/**
 * Who is calling: the account and the API key that authenticated the request, or the console
 * user of a session. For a user, `apiKeyId` is the user id, so that rate limits, stream limits
 * and usage counts stay per actor without knowing about sessions.
 */
export class Principal {
  readonly scope: AccountScope;
  readonly userId?: string;
  readonly role?: UserRole;

  constructor(
    readonly accountId: string,
    readonly apiKeyId: string,
    /** When set, the key may only act on these connections. */
    readonly connectionIds?: readonly string[],
    user?: PrincipalUser,
  ) {
    this.scope = scopeOf(accountId);
    if (user) {
      this.userId = user.userId;
      this.role = user.role;
    }
  }

  /** A console user signed in with a session (not an API key). */
  static ofUser(accountId: string, user: PrincipalUser): Principal {
    return new Principal(accountId, user.userId, undefined, user);
  }

  get restricted(): boolean {
    return this.connectionIds !== undefined && this.connectionIds.length > 0;
  }

  /** Whether this key may act on `connectionId` (for the connection endpoints). */
  mayUseConnection(connectionId: string): boolean {
    return !this.restricted || this.connectionIds!.includes(connectionId);
  }

  /** Whether a key restricted to `requested` would give no more than this key has. */
  mayGrant(requested: readonly string[] | undefined): boolean {
    if (!this.restricted) return true;
    return (
      requested !== undefined && requested.length > 0 && requested.every((id) => this.mayUseConnection(id))
    );
  }
}

const PRINCIPAL = Symbol('wwb.principal');
type WithPrincipal = object & { [PRINCIPAL]?: Principal };

/** Keeps the principal on the request object (set by ApiKeyGuard). */
export function attachPrincipal(req: object, principal: Principal): void {
  (req as WithPrincipal)[PRINCIPAL] = principal;
}

export function principalOf(req: object): Principal | undefined {
  return (req as WithPrincipal)[PRINCIPAL];
}
