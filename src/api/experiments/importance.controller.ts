import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IMPORTANCE_METHODS } from '../../search/importance/importance.types';
import { ImportanceService } from '../../trials/importance.service';
import { Returns } from '../openapi';
import { enumParam, idParam } from '../query-parsing';

/** Which parameters matter: PED-ANOVA by default, fANOVA on a random forest on request. */
@ApiTags('experiments')
@Controller('experiments')
export class ImportanceController {
  constructor(@Inject(ImportanceService) private readonly importance: ImportanceService) {}

  @Get(':id/importance')
  @ApiOperation({ summary: "Parameter importance over the experiment's complete trials: shares summing to 1, most important first." })
  @ApiQuery({ name: 'method', required: false, enum: IMPORTANCE_METHODS as string[] })
  @Returns(200, 'Importance', [400, 404])
  get(@Param('id') id: string, @Query() query: Record<string, unknown>) {
    return this.importance.importance(idParam(id, 'id'), enumParam(query, 'method', IMPORTANCE_METHODS));
  }
}
