import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DashboardService } from '../../trials/dashboard/dashboard.service';
import { Returns } from '../openapi';
import { idParam, intParam } from '../query-parsing';
import { contourQuery, pointsQuery, sinceQuery, tableQuery } from './dashboard-requests';

type Query = Record<string, unknown>;

/** The dashboard's data: bounded views of an experiment whatever its number of trials, and what changed since a version. */
@ApiTags('dashboard')
@Controller()
export class DashboardController {
  constructor(@Inject(DashboardService) private readonly dashboard: DashboardService) {}

  @Get('dashboard/experiments')
  @ApiOperation({ summary: 'Experiments, newest first, each with trial counts, best trial, elapsed and compute time.' })
  @ApiQuery({ name: 'limit', required: false })
  @Returns(200, 'DashboardExperiments')
  experiments(@Query() query: Query) {
    return this.dashboard.experimentList(intParam(query, 'limit', 200, 1, 1000));
  }

  @Get('experiments/:id/overview')
  @ApiOperation({ summary: 'The experiment page: summary, history (downsampled past ?points=), a sample for per-trial plots, the timeline.' })
  @ApiQuery({ name: 'points', required: false })
  @Returns(200, 'Overview', [400, 404])
  overview(@Param('id') id: string, @Query() query: Query) {
    return this.dashboard.overview(idParam(id, 'id'), pointsQuery(query));
  }

  @Get('experiments/:id/changes')
  @ApiOperation({ summary: 'Trials that changed after ?since= (the version of an earlier answer): live updates without the whole history.' })
  @ApiQuery({ name: 'since', required: false })
  @Returns(200, 'TrialChanges', [400, 404])
  changes(@Param('id') id: string, @Query() query: Query) {
    return this.dashboard.changes(idParam(id, 'id'), sinceQuery(query));
  }

  @Get('experiments/:id/table')
  @ApiOperation({ summary: 'A window of the trial table, filtered by state and sorted (number, value, duration, state, param:NAME) on the server.' })
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'sort', required: false })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @Returns(200, 'TablePage', [400, 404])
  table(@Param('id') id: string, @Query() query: Query) {
    return this.dashboard.table(idParam(id, 'id'), tableQuery(query));
  }

  @Get('experiments/:id/trials.csv')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/csv; charset=utf-8')
  csv(@Param('id') id: string) {
    return this.dashboard.csv(idParam(id, 'id'));
  }

  @Get('experiments/:id/contour')
  @ApiOperation({ summary: 'Best value per cell of a grid over parameters ?x= and ?y= (?bins= per numeric axis).' })
  @ApiQuery({ name: 'x', required: true })
  @ApiQuery({ name: 'y', required: true })
  @ApiQuery({ name: 'bins', required: false })
  @Returns(200, 'Contour', [400, 404])
  contour(@Param('id') id: string, @Query() query: Query) {
    const { x, y, bins } = contourQuery(query);
    return this.dashboard.contour(idParam(id, 'id'), x, y, bins);
  }

  @Get('experiments/:id/curves')
  @ApiOperation({ summary: 'Intermediate curves of the objective: the best complete trials and the latest pruned ones (?limit= each).' })
  @ApiQuery({ name: 'limit', required: false })
  @Returns(200, 'Curves', [400, 404])
  curves(@Param('id') id: string, @Query() query: Query) {
    return this.dashboard.curves(idParam(id, 'id'), intParam(query, 'limit', 50, 1, 200));
  }

  @Get('experiments/:id/trials/:number/files')
  @ApiOperation({ summary: "A trial's artifact files with their sizes and SHA-256." })
  @Returns(200, 'TrialFiles', [400, 404])
  files(@Param('id') id: string, @Param('number') number: string) {
    return this.dashboard.trialFiles(idParam(id, 'id'), idParam(number, 'number'));
  }
}
