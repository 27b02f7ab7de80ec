import type { Scope } from './scopes';

/** A stored API key: its public id and name, its scope, and a salted scrypt hash of its secret (never the secret). */
export interface ApiKeyRecord {
  /** The public part of the key (`hpo_<id>_<secret>`), used to find the record without scanning hashes. */
  id: string;
  name: string;
  scope: Scope;
  /** Hex scrypt salt and hash of the secret part. */
  salt: string;
  hash: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** A key as listings show it: no salt, no hash. */
export type ApiKeyView = Omit<ApiKeyRecord, 'salt' | 'hash'>;

/** Who a request acts as: a key's name and scope, or the open service's owner. */
export interface Principal {
  /** The key's name; {@link OPEN_PRINCIPAL_NAME} when the service runs without keys. */
  name: string;
  scope: Scope;
}

/** The principal of every request to a service that has no keys (loopback, or `--insecure-no-auth`). */
export const OPEN_PRINCIPAL_NAME = 'open';

/** The principal of a CLI verb run by the machine's own user on the database directly. */
export const LOCAL_PRINCIPAL_NAME = 'local';
