import { allowedHosts, hostAllowed, hostOf, isLoopback } from '../../../src/auth/network-policy';
import { RateLimiter } from '../../../src/auth/rate-limiter';
import { scopeAllows } from '../../../src/auth/scopes';

describe('network policy', () => {
  it('knows loopback addresses from the others', () => {
    for (const host of ['127.0.0.1', '127.3.4.5', 'localhost', 'app.localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect([host, isLoopback(host)]).toEqual([host, true]);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.org', '128.0.0.1', '::ffff:10.0.0.1'])
      expect([host, isLoopback(host)]).toEqual([host, false]);
  });

  it('reads the host of a Host header, with or without a port', () => {
    expect(hostOf('Example.org:3000')).toBe('example.org');
    expect(hostOf('[::1]:80')).toBe('::1');
    expect(hostOf('localhost')).toBe('localhost');
  });

  it('allows the loopback names, a specific listen address and the listed names; * allows any', () => {
    const hosts = allowedHosts('10.1.2.3', ['hpo.internal']);
    expect(hostAllowed('10.1.2.3:3000', hosts)).toBe(true);
    expect(hostAllowed('hpo.internal', hosts)).toBe(true);
    expect(hostAllowed('localhost:3000', hosts)).toBe(true);
    expect(hostAllowed('127.0.0.9', hosts)).toBe(true);
    expect(hostAllowed('evil.example', hosts)).toBe(false);
    expect(hostAllowed(undefined, hosts)).toBe(false);
    expect(hostAllowed('0.0.0.0', allowedHosts('0.0.0.0', []))).toBe(false);
    expect(hostAllowed('evil.example', allowedHosts('0.0.0.0', ['*']))).toBe(true);
  });

  it('orders scopes read < write < admin', () => {
    expect(scopeAllows('admin', 'write')).toBe(true);
    expect(scopeAllows('write', 'write')).toBe(true);
    expect(scopeAllows('write', 'admin')).toBe(false);
    expect(scopeAllows('read', 'write')).toBe(false);
  });
});

describe('RateLimiter', () => {
  it('lets a burst through, then one request per refill, per caller', () => {
    let now = 0;
    const limiter = new RateLimiter(600, () => now); // 10 a second, bursts of 60
    const granted = Array.from({ length: 70 }, () => limiter.take('a')).filter((w) => w === 0).length;
    expect(granted).toBe(60);
    expect(limiter.take('a')).toBeGreaterThanOrEqual(1);
    expect(limiter.take('b')).toBe(0);
    now += 100;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  it('does nothing when the limit is 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a')).toBe(0);
  });
});
