import { isIP } from 'node:net';

/** Host names that always reach only this machine. */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** Whether a listen address or host name is loopback only (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (bare.startsWith('::ffff:')) return isLoopback(bare.slice(7));
  return bare === '::1';
}

/** Whether a listen address takes connections on every interface. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

/**
 * The Host header names a request may carry (against DNS rebinding): the loopback names, the
 * address the service listens on when it is a specific one, and whatever the operator lists in
 * `HPO_ALLOWED_HOSTS` (`*` allows any). Ports are not compared.
 */
export function allowedHosts(listenHost: string, extra: readonly string[]): Set<string> {
  const hosts = new Set<string>(LOOPBACK_NAMES);
  if (!isWildcard(listenHost)) hosts.add(listenHost.replace(/^\[|\]$/g, '').toLowerCase());
  for (const host of extra) hosts.add(host.toLowerCase());
  return hosts;
}

/** The host part of a Host header (`example.org:3000` → `example.org`, `[::1]:80` → `::1`), lower case. */
export function hostOf(header: string): string {
  const text = header.trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(1, text.indexOf(']') > 0 ? text.indexOf(']') : undefined);
  const colon = text.lastIndexOf(':');
  return colon > 0 && text.indexOf(':') === colon ? text.slice(0, colon) : text;
}

/** Whether a request's Host header is one the service answers to. */
export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (allowed.has('*')) return true;
  if (!header) return false;
  const host = hostOf(header);
  return allowed.has(host) || (isLoopback(host) && isIP(host) !== 0);
}
