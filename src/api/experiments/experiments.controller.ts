import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Body as DeclaredBody, Returns } from '../openapi';
import { ExperimentService } from '../../trials/experiment.service';
import { idParam } from '../query-parsing';
import type { Principal } from '../../auth/api-key.types';
import { AccessPolicy } from '../security/access-policy';
import { Caller } from '../security/caller.decorator';
import { Audited, AuditedRequest } from '../security/route-access';
import { configFromBody, enqueueBody, experimentListQuery, leaderboardQuery, resumeBody, trialListQuery, updateBody } from './experiment-requests';

type Query = Record<string, unknown>;

const experimentTarget = (req: AuditedRequest): string => `experiment ${req.params.id}`;

/** Experiments and their trials: submit, list, watch, cancel, resume, rank. */
@ApiTags('experiments')
@Controller('experiments')
export class ExperimentsController {
  constructor(
    @Inject(ExperimentService) private readonly experiments: ExperimentService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      "Submit an experiment (JSON or YAML body); it starts at once. Relative paths resolve against the service working directory; paths, modules and programs must lie under the operator's roots.",
  })
  @ApiConsumes('application/json', 'application/yaml')
  @DeclaredBody('ExperimentConfig')
  @Returns(201, 'ExperimentCreated')
  @Audited({ action: 'submit', target: (_req, result) => `experiment ${(result as { id: number }).id}` })
  async create(@Body() body: unknown, @Caller() caller: Principal) {
    const { id, notices } = await this.experiments.create(
      await configFromBody(body),
      { origin: 'network', baseDir: process.cwd() },
      this.access.submission(caller),
    );
    return { id, notices };
  }

  @Get()
  @ApiOperation({ summary: 'List experiments, newest first.' })
  @ApiQuery({ name: 'state', required: false, enum: ['RUNNING', 'COMPLETE', 'CANCELLED', 'FAILED'] })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @Returns(200, 'ExperimentList')
  list(@Query() query: Query) {
    return this.experiments.list(experimentListQuery(query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'An experiment: state, trial counts by state, best trial, elapsed time, parallelism, promotion outcome, spec.' })
  @Returns(200, 'Experiment', [400, 404])
  get(@Param('id') id: string) {
    return this.experiments.get(idParam(id, 'id'));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a running experiment; running trials end FAILED (cancelled).' })
  @Returns(200, 'Experiment', [400, 404, 409, 415])
  @Audited({ action: 'cancel', target: experimentTarget })
  cancel(@Param('id') id: string) {
    return this.experiments.cancel(idParam(id, 'id'));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume an experiment that is not running; {maxTrials} raises its budget.' })
  @DeclaredBody('ResumeBody', false)
  @Returns(200, 'Experiment', [400, 404, 409])
  @Audited({ action: 'resume', target: experimentTarget, detail: (req) => (req.body && typeof req.body === 'object' ? { ...req.body } : null) })
  resume(@Param('id') id: string, @Body() body: unknown) {
    return this.experiments.resume(idParam(id, 'id'), resumeBody(body));
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Change a running experiment live: {maxTrials?, parallelism?, maxFailedTrials?, trialTimeoutSec?}; the process running it follows within a second.',
  })
  @DeclaredBody('UpdateBody')
  @Returns(200, 'Experiment', [400, 404, 409])
  @Audited({ action: 'update', target: experimentTarget, detail: (req) => ({ ...(req.body as object) }) })
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.experiments.update(idParam(id, 'id'), updateBody(body));
  }

  @Post(':id/trials')
  @ApiOperation({ summary: 'Queue parameters to run next, checked against the space: {params: {...}}; they count in the budget like any trial.' })
  @DeclaredBody('EnqueueBody')
  @Returns(201, 'Trial', [400, 404])
  @Audited({ action: 'enqueue', target: experimentTarget, detail: (req) => ({ ...((req.body as { params?: object })?.params ?? {}) }) })
  enqueue(@Param('id') id: string, @Body() body: unknown) {
    return this.experiments.enqueue(idParam(id, 'id'), enqueueBody(body));
  }

  @Get(':id/trials')
  @ApiOperation({ summary: 'Trials of an experiment, filtered by state, by number or best objective first, with cursor paging.' })
  @ApiQuery({ name: 'state', required: false, enum: ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAILED'] })
  @ApiQuery({ name: 'sort', required: false, enum: ['number', 'objective'] })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @Returns(200, 'TrialPage', [400, 404])
  trials(@Param('id') id: string, @Query() query: Query) {
    return this.experiments.trials(idParam(id, 'id'), trialListQuery(query));
  }

  @Get(':id/trials/:number')
  @ApiOperation({ summary: 'One trial: params, metrics, intermediate curve, error.' })
  @Returns(200, 'TrialDetail', [400, 404])
  trial(@Param('id') id: string, @Param('number') number: string) {
    return this.experiments.trial(idParam(id, 'id'), idParam(number, 'number'));
  }

  @Get(':id/leaderboard')
  @ApiOperation({
    summary:
      'Best complete trials by the objective (or ?metric=); ?pruned=true adds pruned trials ranked apart; ?pareto=true gives the Pareto front and its hypervolume (against ?reference=a,b).',
  })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'metric', required: false })
  @ApiQuery({ name: 'pruned', required: false })
  @ApiQuery({ name: 'pareto', required: false })
  @ApiQuery({ name: 'reference', required: false })
  @Returns(200, 'Leaderboard', [400, 404])
  leaderboard(@Param('id') id: string, @Query() query: Query) {
    const q = leaderboardQuery(query);
    if (q.pareto) return this.experiments.paretoFront(idParam(id, 'id'), q.reference);
    return this.experiments.leaderboard(idParam(id, 'id'), q);
  }
}
