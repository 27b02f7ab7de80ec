import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Returns } from '../openapi';
import { ExperimentService } from '../../trials/experiment.service';
import { globalLeaderboardQuery } from './experiment-requests';

/** Ranking across experiments. */
@ApiTags('leaderboard')
@Controller('leaderboard')
export class LeaderboardController {
  constructor(@Inject(ExperimentService) private readonly experiments: ExperimentService) {}

  @Get()
  @ApiOperation({ summary: 'Best complete trials across experiments by a final metric, optionally on one dataset (its file name).' })
  @ApiQuery({ name: 'metric', required: true })
  @ApiQuery({ name: 'dataset', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'direction', required: false, enum: ['minimize', 'maximize'] })
  @Returns(200, 'GlobalLeaderboard')
  global(@Query() query: Record<string, unknown>) {
    return this.experiments.globalLeaderboard(globalLeaderboardQuery(query));
  }
}
