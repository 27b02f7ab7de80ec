import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { Audited, AuditedRequest, RequireScope } from '../security/route-access';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Body as DeclaredBody, Returns } from '../openapi';
import { PredictionService } from '../../registry/prediction.service';
import { PromotionService } from '../../registry/promotion.service';
import { RegistryService } from '../../registry/registry.service';
import { aliasBody, archiveBody, nameParam, promoteBody, selectorQuery, versionParam } from './model-requests';

const aliasTarget = (req: AuditedRequest): string => `model ${req.params.name}/${req.params.alias}`;
const versionTarget = (req: AuditedRequest): string => `model ${req.params.name} version ${req.params.version}`;

/** The named fields of a value that is an object, for an audit entry's detail. */
function pick(value: unknown, names: string[]): Record<string, unknown> | null {
  if (!value || typeof value !== 'object') return null;
  const out: Record<string, unknown> = {};
  for (const name of names) if (name in value) out[name] = (value as Record<string, unknown>)[name];
  return out;
}

/**
 * The model registry and serving. A stored artifact that fails its checksums answers 409 with a
 * message naming the file (the stored state conflicts with its record); an alias is never moved
 * onto such a version, and requests to the alias keep getting the version it held.
 */
@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(
    @Inject(RegistryService) private readonly registry: RegistryService,
    @Inject(PromotionService) private readonly promotions: PromotionService,
    @Inject(PredictionService) private readonly serving: PredictionService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Registered models with their version counts and aliases.' })
  @Returns(200, 'ModelList', [])
  list() {
    return this.registry.list();
  }

  @Get(':name')
  @ApiOperation({ summary: 'A model: its versions (newest first) and aliases.' })
  @Returns(200, 'ModelDetail', [400, 404])
  show(@Param('name') name: string) {
    return this.registry.show(nameParam(name, 'name'));
  }

  @Get(':name/versions/:version')
  @ApiOperation({ summary: 'One version: source trial, params, metrics, objective, input schema, files with SHA-256, quantization.' })
  @Returns(200, 'ModelVersion', [400, 404])
  version(@Param('name') name: string, @Param('version') version: string) {
    return this.registry.version(nameParam(name, 'name'), versionParam(version));
  }

  @Post(':name/versions')
  @ApiOperation({
    summary: 'Promote a trial (the best COMPLETE one without trialNumber): {experimentId, trialNumber?, alias?, force?, description?, tags?, quantize?}.',
  })
  @DeclaredBody('PromoteBody')
  @Returns(201, 'PromotionResult', [400, 404, 409])
  @Audited({
    action: 'promote',
    target: (req) => `model ${req.params.name}`,
    detail: (_req, result) => pick(result, ['version', 'experimentId', 'trialNumber']),
  })
  promote(@Param('name') name: string, @Body() body: unknown) {
    return this.promotions.promote(promoteBody(nameParam(name, 'name'), body));
  }

  @Put(':name/aliases/:alias')
  @ApiOperation({ summary: 'Point an alias at a version {version} (rollback: an earlier one). 409 if its files fail their checksums.' })
  @DeclaredBody('AliasBody')
  @Returns(200, 'AliasMove', [400, 404, 409])
  @Audited({ action: 'alias-move', target: aliasTarget, detail: (req) => pick(req.body, ['version']) })
  moveAlias(@Param('name') name: string, @Param('alias') alias: string, @Body() body: unknown) {
    return this.registry.moveAlias(nameParam(name, 'name'), nameParam(alias, 'alias'), aliasBody(body));
  }

  @Delete(':name/aliases/:alias')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an alias.' })
  @Returns(204, null, [400, 404])
  @Audited({ action: 'alias-delete', target: aliasTarget })
  async deleteAlias(@Param('name') name: string, @Param('alias') alias: string) {
    await this.registry.deleteAlias(nameParam(name, 'name'), nameParam(alias, 'alias'));
  }

  @Post(':name/versions/:version/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive a version ({archived: false} restores it); 409 while an alias holds it.' })
  @DeclaredBody('ArchiveBody', false)
  @Returns(200, 'ModelVersion', [400, 404, 409])
  @Audited({ action: 'archive', target: versionTarget, detail: (req) => pick(req.body, ['archived']) })
  archive(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown) {
    return this.registry.archive(nameParam(name, 'name'), versionParam(version), archiveBody(body));
  }

  @Delete(':name/versions/:version')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a version and its stored files; 409 while an alias holds it.' })
  @Returns(204, null, [400, 404, 409])
  @Audited({ action: 'version-delete', target: versionTarget })
  async deleteVersion(@Param('name') name: string, @Param('version') version: string) {
    await this.registry.deleteVersion(nameParam(name, 'name'), versionParam(version));
  }

  @Post(':name/predict')
  @HttpCode(200)
  @ApiOperation({ summary: 'Predict {"instances": [...]} (rows as arrays or objects by feature name) with the production alias, or ?alias= / ?version=.' })
  @ApiQuery({ name: 'alias', required: false })
  @ApiQuery({ name: 'version', required: false })
  @DeclaredBody('PredictBody')
  @Returns(200, 'Predictions', [400, 404, 409])
  @RequireScope('read')
  predict(@Param('name') name: string, @Query() query: Record<string, unknown>, @Body() body: unknown) {
    return this.serving.predict(nameParam(name, 'name'), selectorQuery(query), body);
  }
}
