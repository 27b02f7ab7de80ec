import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ServiceClient, ServiceError } from '../../../src/fleet/service-client';

/** A server answering each request with the next status of `statuses` (the last one from then on). */
async function scripted(statuses: number[], seen: IncomingMessage[] = []): Promise<{ url: string; server: Server }> {
  let k = 0;
  const server = createServer((req, res) => {
    seen.push(req);
    const status = statuses[Math.min(k++, statuses.length - 1)];
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('ServiceClient: a worker reaching its services', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('sends the key as a bearer token and retries a service that answers 503 until it answers', async () => {
    const seen: IncomingMessage[] = [];
    const s = await scripted([503, 503, 200], seen);
    servers.push(s.server);
    const client = new ServiceClient([s.url], 'k3y', 10_000);
    expect(await client.postJson('fleet/x', { a: 1 })).toEqual({ status: 200 });
    expect(seen).toHaveLength(3);
    expect(seen.every((r) => r.headers.authorization === 'Bearer k3y' && r.url === '/api/fleet/x')).toBe(true);
  });

  it('moves on to the next address when one refuses connections or answers 421', async () => {
    const other = await scripted([421]);
    const good = await scripted([200]);
    servers.push(other.server, good.server);
    const client = new ServiceClient(['http://127.0.0.1:1', other.url, good.url], undefined, 5_000);
    expect(await client.postJson('fleet/y', {})).toEqual({ status: 200 });
  });

  it('does not retry an answer that retrying will not change (400), and gives up when its patience is spent', async () => {
    const bad = await scripted([400]);
    servers.push(bad.server);
    await expect(new ServiceClient([bad.url], undefined, 5_000).postJson('fleet/z', {})).rejects.toBeInstanceOf(ServiceError);
    const started = Date.now();
    await expect(new ServiceClient(['http://127.0.0.1:1'], undefined, 700).postJson('fleet/z', {})).rejects.toThrow(/POST \/api\/fleet\/z: .*127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
