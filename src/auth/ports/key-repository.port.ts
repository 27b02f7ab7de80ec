import type { ApiKeyRecord } from '../api-key.types';

/** Stored API keys, as the key service needs them. */
export interface KeyRepository {
  /** Stores a new key; false when a key (revoked or not) already has its name. */
  insert(key: ApiKeyRecord): Promise<boolean>;
  byId(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Marks the key named `name` revoked, once; false when there is none or it was revoked already. */
  revoke(name: string, now: number): Promise<boolean>;
  /** How many keys are not revoked. */
  countActive(): Promise<number>;
  /** Records a use (at most about once a minute per key, by the caller). */
  touch(id: string, now: number): Promise<void>;
}
