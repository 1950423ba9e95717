import type { Role } from '../db/schema.ts';

/** The signed-in user as every service sees it. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** The region the account is bound to; the root of its scope. */
  regionCode: string;
  regionLevel: number;
  /** Liaison offices: the host city they serve in. */
  hostRegionCode: string | null;
  totpEnabled: boolean;
  ip: string;
}

/**
 * A laborer signed in on the mobile page (request.laborer): phone + SMS code, no account.
 * modules/mobile makes and resolves the session; the platform only carries it.
 */
export interface MobileLaborer {
  laborerId: string;
  name: string;
  villageCode: string;
  tokenHash: Buffer;
  ip: string;
}

/**
 * A client system of the data exchange (request.exchangeClient): its own key, no account and no
 * session. modules/exchange registers and resolves it; the platform only carries it.
 */
export interface ExchangeClientIdentity {
  id: string;
  keyId: string;
  name: string;
  /** The region it may read, and everything below. */
  regionCode: string;
  kinds: string[];
  ip: string;
}

/** Who did something when nobody is signed in (a failed login, the CLI). */
export interface AuditContext {
  actor: Actor | null;
  ip: string | null;
  /** For anonymous attempts: the username that was tried. */
  claimedUsername?: string;
}
