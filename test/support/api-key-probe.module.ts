import { Controller, Get, Module } from '@nestjs/common';
import { RequireScopes } from '../../src/common/decorators/api-key.decorator.js';
import { Org, type OrgContext } from '../../src/common/decorators/org-context.decorator.js';

/**
 * A route that accepts API keys with the `wallet:read` scope, mounted beside the real AppModule
 * so the key guards can be tested before the wallet routes (which will use the same decorators)
 * exist.
 */
@Controller('v1/organizations/:orgId/probe')
class ApiKeyProbeController {
  @Get()
  @RequireScopes('wallet:read')
  probe(@Org() org: OrgContext): OrgContext {
    return org;
  }
}

@Module({ controllers: [ApiKeyProbeController] })
export class ApiKeyProbeModule {}
