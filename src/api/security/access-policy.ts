import type { Principal } from '../../auth/api-key.types';
import { OPEN_PRINCIPAL_NAME } from '../../auth/api-key.types';
import type { KeyService } from '../../auth/key.service';
import { isLoopback } from '../../auth/network-policy';
import { RateLimiter } from '../../auth/rate-limiter';
import { scopeAllows } from '../../auth/scopes';
import type { SecuritySettings } from '../../config/security-settings';
import { TooManyRequestsError, UnauthorizedError } from '../../domain/errors';
import type { Submission } from '../../trials/submission-policy';

/** How long a process trusts its answer to "are there any keys?" (a key made by `hpo keys create` in another process takes effect within this). */
const KEYS_PRESENT_TTL_MS = 1_000;

/**
 * Who a request is: the key in its `Authorization: Bearer` header, or, on a service that has no
 * key and listens on loopback only (or was started with `--insecure-no-auth`), the open principal
 * with every scope. Once any key exists every request needs one, loopback included.
 */
export class AccessPolicy {
  private keysPresent: { value: boolean; at: number } | undefined;
  private readonly limiter: RateLimiter;

  constructor(
    private readonly keys: KeyService,
    readonly settings: SecuritySettings,
    /** The address the service listens on: open access is for loopback only. */
    readonly listenHost: string,
    private readonly now: () => number = Date.now,
  ) {
    this.limiter = new RateLimiter(settings.rateLimitPerMin, now);
  }

  /** Whether requests without a key act as the open principal. */
  async isOpen(): Promise<boolean> {
    if (this.settings.insecureNoAuth) return true;
    if (!isLoopback(this.listenHost)) return false;
    const now = this.now();
    if (!this.keysPresent || now - this.keysPresent.at > KEYS_PRESENT_TTL_MS) this.keysPresent = { value: await this.keys.anyActive(), at: now };
    return !this.keysPresent.value;
  }

  /** The principal of a request with this Authorization header; UnauthorizedError when it has none and needs one. */
  async principal(authorization: string | undefined): Promise<Principal> {
    if (authorization !== undefined && authorization !== '') {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match) throw new UnauthorizedError('the Authorization header must be "Bearer <key>"');
      return this.keys.authenticate(match[1]);
    }
    if (await this.isOpen()) return { name: OPEN_PRINCIPAL_NAME, scope: 'admin' };
    throw new UnauthorizedError('this service needs an API key: send "Authorization: Bearer <key>" (an admin makes one with `hpo keys create`)');
  }

  /** Counts a request of `caller` (a key's name, or the client's address on an open service) against the rate limit. */
  charge(caller: string): void {
    const wait = this.limiter.take(caller);
    if (wait > 0)
      throw new TooManyRequestsError(`too many requests (limit ${this.settings.rateLimitPerMin} a minute, HPO_RATE_LIMIT_PER_MIN): retry in ${wait} s`, wait);
  }

  /** What a submission by `principal` may do: user code with the admin scope only; a key's running experiments counted against its limit. */
  submission(principal: Principal): Submission {
    const mayRunCode = scopeAllows(principal.scope, 'admin');
    if (principal.name === OPEN_PRINCIPAL_NAME) return { mayRunCode };
    return { by: principal.name, mayRunCode, maxRunning: this.settings.maxRunningPerKey };
  }
}
