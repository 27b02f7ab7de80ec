import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLEET_ROUTES, TrialInput } from './fleet-protocol';
import { sha256Of } from './input-catalog';
import { ServiceClient } from './service-client';

/**
 * A worker's copies of the files trials read, fetched from the service by content hash, checked
 * against it and kept under `<cache>/<sha256>/<name>`, so each file crosses the network once per
 * worker machine however many trials read it. Concurrent fetches of one file share one download.
 */
export class InputCache {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly dir: string,
    private readonly client: ServiceClient,
  ) {}

  /** Local paths of the inputs, by sha256, fetching what is not cached yet. */
  async localPaths(inputs: readonly TrialInput[]): Promise<Map<string, string>> {
    const paths = await Promise.all(inputs.map((i) => this.ensure(i)));
    return new Map(inputs.map((input, k) => [input.sha256, paths[k]]));
  }

  private ensure(input: TrialInput): Promise<string> {
    const name = input.name.replace(/[^A-Za-z0-9._-]/g, '_');
    const target = join(this.dir, input.sha256, name);
    if (existsSync(target)) return Promise.resolve(target);
    let job = this.inFlight.get(target);
    if (!job) {
      job = this.fetch(input, target).finally(() => this.inFlight.delete(target));
      this.inFlight.set(target, job);
    }
    return job;
  }

  private async fetch(input: TrialInput, target: string): Promise<string> {
    const bytes = await this.client.getBytes(FLEET_ROUTES.file(input.sha256));
    const actual = sha256Of(bytes);
    if (actual !== input.sha256) throw new Error(`input ${input.name}: received bytes with SHA-256 ${actual}, expected ${input.sha256}`);
    mkdirSync(join(this.dir, input.sha256), { recursive: true });
    const tmp = `${target}.${process.pid}.part`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
    return target;
  }
}
