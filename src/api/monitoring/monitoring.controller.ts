import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ServiceContext } from '../../context/service-context';
import { Public } from '../security/route-access';

/** The context as the monitoring routes see it (a provider token). */
export const MONITORED_CONTEXT = Symbol('monitored context');

/** How long the readiness check waits for the database before calling it unreachable. */
export const READY_TIMEOUT_MS = 2_000;

/**
 * The paths served outside `/api`: scrapers and orchestrators call them. The health checks need no
 * key; `/metrics` needs a `read` key once keys exist (Prometheus sends one as a bearer token).
 */
export const MONITORING_PATHS = ['metrics', 'health/live', 'health/ready'];

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);
}

/** `/metrics` (Prometheus text format), `/health/live` and `/health/ready`. */
@ApiExcludeController()
@Controller()
export class MonitoringController {
  constructor(@Inject(MONITORED_CONTEXT) private readonly context: ServiceContext) {}

  @Get('metrics')
  async metrics(@Res() res: { setHeader(name: string, value: string): void; end(body: string): void }): Promise<void> {
    const registry = this.context.metrics.registry;
    res.setHeader('Content-Type', registry.contentType);
    res.end(await registry.metrics());
  }

  /** The process answers: nothing else is checked, so a slow database never gets the process restarted. */
  @Get('health/live')
  @Public()
  @Header('Cache-Control', 'no-store')
  live() {
    return { status: 'ok' };
  }

  /** Ready to serve: the database answers a query (and, where a queue is configured, the queue). */
  @Get('health/ready')
  @Public()
  @Header('Cache-Control', 'no-store')
  async ready(@Res() res: { status(code: number): { json(body: unknown): void } }): Promise<void> {
    const checks: Record<string, { status: 'up' | 'down'; error?: string }> = {};
    try {
      await within(this.context.store.experiments.list({ limit: 1, offset: 0 }), READY_TIMEOUT_MS);
      checks.database = { status: 'up' };
    } catch (error) {
      checks.database = { status: 'down', error: (error as Error).message };
    }
    if (this.context.fleet) {
      try {
        await within(this.context.fleet.reachable(), READY_TIMEOUT_MS);
        checks.queue = { status: 'up' };
      } catch (error) {
        checks.queue = { status: 'down', error: (error as Error).message };
      }
    }
    const up = Object.values(checks).every((c) => c.status === 'up');
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'unavailable', checks });
  }
}
