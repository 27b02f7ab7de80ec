/**
 * What a key may do. Each scope includes the ones before it: `read` lists, reads and predicts;
 * `write` also submits TensorFlow.js experiments, cancels, resumes, updates, promotes and moves
 * aliases; `admin` also runs user code (module and command trials), manages keys, deletes and reads
 * the audit log.
 */
export type Scope = 'read' | 'write' | 'admin';

/** Every scope, weakest first. */
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** Whether a key of scope `held` may do what needs `needed`. */
export function scopeAllows(held: Scope, needed: Scope): boolean {
  return SCOPES.indexOf(held) >= SCOPES.indexOf(needed);
}

/** Whether a string names a scope. */
export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}
