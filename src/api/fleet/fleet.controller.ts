import { Body, Controller, Get, Headers, HttpCode, HttpException, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { NotFoundError } from '../../domain/errors';
import { MisdirectedError, QueueDispatcher } from '../../fleet/queue-dispatcher';
import { heartbeatBody, positiveParam, reportBody, resultBody } from './fleet-requests';
import { RequireScope, Unmetered } from '../security/route-access';

/** The injection token of the service's queue dispatcher (null when it runs without `--queue`). */
export const FLEET = 'FLEET';

/** The part of the response object a file download uses. */
interface FileResponse {
  setHeader(name: string, value: string): void;
  send(body: Buffer): void;
}

/** 421: another scheduler holds the attempt; the worker tries its next service address. */
async function routed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MisdirectedError) throw new HttpException(error.message, 421);
    throw error;
  }
}

/**
 * The routes `hpo worker` calls (heartbeats, reports, results, artifact uploads, input files by
 * hash). They are the workers' protocol rather than a user's API, so they stay out of the OpenAPI document.
 */
@ApiExcludeController()
@Controller('fleet')
// Workers run whatever trials the queue holds, module and command trials included: their keys are admin keys.
@RequireScope('admin')
@Unmetered()
export class FleetController {
  constructor(@Inject(FLEET) private readonly fleet: QueueDispatcher | null) {}

  private dispatcher(): QueueDispatcher {
    if (!this.fleet) throw new NotFoundError('this service runs no queue (start it with hpo serve --queue redis://…)');
    return this.fleet;
  }

  @Get('queue')
  queue() {
    return this.dispatcher().queueInfo();
  }

  @Post('workers/heartbeat')
  @HttpCode(200)
  heartbeat(@Body() body: unknown) {
    return this.dispatcher().heartbeat(heartbeatBody(body));
  }

  @Post('attempts/:trialId/:attempt/reports')
  @HttpCode(200)
  report(@Param('trialId') trialId: string, @Param('attempt') attempt: string, @Body() body: unknown) {
    return routed(() => this.dispatcher().report(positiveParam(trialId, 'trialId'), positiveParam(attempt, 'attempt'), reportBody(body)));
  }

  @Post('attempts/:trialId/:attempt/result')
  @HttpCode(200)
  result(@Param('trialId') trialId: string, @Param('attempt') attempt: string, @Body() body: unknown) {
    return routed(() => this.dispatcher().result(positiveParam(trialId, 'trialId'), positiveParam(attempt, 'attempt'), resultBody(body)));
  }

  @Put('attempts/:trialId/:attempt/artifacts/:name')
  @HttpCode(204)
  async artifact(
    @Param('trialId') trialId: string,
    @Param('attempt') attempt: string,
    @Param('name') name: string,
    @Headers('x-content-sha256') sha256: string | undefined,
    @Body() body: unknown,
  ): Promise<void> {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    await this.dispatcher().artifact(positiveParam(trialId, 'trialId'), positiveParam(attempt, 'attempt'), name, bytes, sha256 ?? '');
  }

  @Get('files/:sha256')
  file(@Param('sha256') sha256: string, @Res() res: FileResponse): void {
    const bytes = this.dispatcher().file(sha256);
    res.setHeader('content-type', 'application/octet-stream');
    res.send(bytes);
  }
}

/** `GET /api/workers`: the workers heard of, and what waits on the queue. */
@ApiExcludeController()
@Controller('workers')
export class WorkersController {
  constructor(@Inject(FLEET) private readonly fleet: QueueDispatcher | null) {}

  @Get()
  list() {
    if (!this.fleet) return { queue: false, workers: [], queueDepth: {} };
    return { queue: true, workers: this.fleet.workers.list(), queueDepth: this.fleet.queueDepth() };
  }
}
