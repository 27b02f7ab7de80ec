import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/**
 * A TCP relay to a real server (Redis, PostgreSQL) that a test can cut, dropping every connection
 * through it and refusing new ones, and open again on the same port: a network blip or a server
 * restart as its clients see it, without touching the server others use.
 */
export class CuttableRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly upstreamPort: number,
    private readonly upstreamHost = '127.0.0.1',
  ) {}

  /** Whether it relays now. */
  get open(): boolean {
    return this.server !== undefined;
  }

  /** Starts relaying (on the port it had before, once it had one). */
  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.upstreamPort, this.upstreamHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((done) => server.listen(this.port, '127.0.0.1', done));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Drops every connection through it and refuses new ones until {@link start}. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  }
}
