import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditService, DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE } from '../../auth/audit.service';
import { AUDIT_ACTIONS } from '../../auth/audit.types';
import { Returns } from '../openapi';
import { enumParam, intParam, textParam } from '../query-parsing';
import { RequireScope } from '../security/route-access';

/** The audit log (admin): who changed what, when, from where; newest first. */
@ApiTags('audit')
@Controller('audit')
@RequireScope('admin')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit entries newest first; ?limit=, ?before=<id> for the next page, ?actor=<key name>, ?action=.' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'before', required: false })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'action', required: false, enum: AUDIT_ACTIONS })
  @Returns(200, 'AuditList')
  list(@Query() query: Record<string, unknown>) {
    const before = intParam(query, 'before', 0, 1, Number.MAX_SAFE_INTEGER);
    const actor = textParam(query, 'actor');
    const action = enumParam(query, 'action', AUDIT_ACTIONS);
    return this.audit.list({
      limit: intParam(query, 'limit', DEFAULT_AUDIT_PAGE, 1, MAX_AUDIT_PAGE),
      ...(before ? { before } : {}),
      ...(actor !== undefined ? { actor } : {}),
      ...(action !== undefined ? { action } : {}),
    });
  }
}
