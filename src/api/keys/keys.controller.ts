import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { KeyService } from '../../auth/key.service';
import { Body as DeclaredBody, Returns } from '../openapi';
import { readBody } from '../query-parsing';
import { NEW_KEY_BODY } from '../schemas/auth.schemas';
import { Audited, RequireScope } from '../security/route-access';

/** API keys over REST (admin): the same as `hpo keys create|list|revoke`. */
@ApiTags('keys')
@Controller('keys')
@RequireScope('admin')
export class KeysController {
  constructor(@Inject(KeyService) private readonly keys: KeyService) {}

  @Get()
  @ApiOperation({ summary: 'Every key (revoked ones too): name, scope, created, revoked, last used. Never a secret or hash.' })
  @Returns(200, 'KeyList', [])
  list() {
    return this.keys.list();
  }

  @Post()
  @ApiOperation({ summary: 'Create a key {name, scope}; the response holds the key, shown this once.' })
  @DeclaredBody('NewKeyBody')
  @Returns(201, 'KeyCreated', [400, 409])
  @Audited({
    action: 'key-create',
    target: (req) => `key ${(req.body as { name: string }).name}`,
    detail: (req) => ({ scope: (req.body as { scope: string }).scope }),
  })
  create(@Body() body: unknown) {
    const { name, scope } = readBody(NEW_KEY_BODY, body);
    return this.keys.create(name, scope);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key: it stops working at once, in every process.' })
  @Returns(204, null, [404, 409])
  @Audited({ action: 'key-revoke', target: (req) => `key ${req.params.name}` })
  async revoke(@Param('name') name: string) {
    await this.keys.revoke(name);
  }
}
