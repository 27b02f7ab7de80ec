import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** Every key starts with this, so that secret scanners and readers know it for what it is. */
export const KEY_PREFIX = 'hpo_';

/**
 * scrypt cost: N = 2^15, r = 8 (32 MiB and some tens of ms per hash), enough that a stolen
 * database does not give its keys away, cheap enough because a process verifies each key once
 * and then remembers the digest of the keys it saw.
 */
export const SCRYPT_OPTIONS = { N: 32_768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

const HASH_BYTES = 32;

/** The two parts of a key the caller holds: `hpo_<id>_<secret>`. */
export interface KeyParts {
  id: string;
  secret: string;
}

/** A new key: the string shown once, and its parts. */
export function newKey(): KeyParts & { key: string } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `${KEY_PREFIX}${id}_${secret}` };
}

/** The parts of a presented key, or undefined when it is not shaped like one of ours. */
export function parseKey(key: string): KeyParts | undefined {
  const match = /^hpo_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(key);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

function scryptHex(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, HASH_BYTES, SCRYPT_OPTIONS, (error, hash) => (error ? reject(error) : resolve(hash))));
}

/** A fresh salt and the scrypt hash of `secret`, both hex. */
export async function hashSecret(secret: string): Promise<{ salt: string; hash: string }> {
  const salt = randomBytes(16);
  return { salt: salt.toString('hex'), hash: (await scryptHex(secret, salt)).toString('hex') };
}

/** Whether `secret` hashes to `hash` with `salt`, compared in constant time. */
export async function secretMatches(secret: string, salt: string, hash: string): Promise<boolean> {
  const expected = Buffer.from(hash, 'hex');
  const actual = await scryptHex(secret, Buffer.from(salt, 'hex'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A fast digest of a whole key, for remembering which presented keys already passed scrypt. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
