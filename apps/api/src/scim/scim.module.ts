import { DynamicModule, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { AuthModule } from '../auth/auth.module';
import { MappingModule } from '../mapping/mapping.module';
import { ScimBulkService } from './bulk/scim-bulk.service';
import { DiscoveryController } from './discovery.controller';
import { ScimGroupsController } from './groups/scim-groups.controller';
import { ScimGroupsService } from './groups/scim-groups.service';
import { ScimProtocol } from './protocol/scim-protocol';
import { ScimRootSearchService } from './root/scim-root-search.service';
import { ScimRootController } from './root/scim-root.controller';
import { ProvisioningLogRecorder } from './provisioning-log.recorder';
import { SCIM_RATE_LIMITER, ScimRateLimitGuard } from './scim-rate-limit.guard';
import { createScimRateLimiter } from './scim-rate-limiter.factory';
import { ScimUsersController } from './users/scim-users.controller';
import { ScimUsersService } from './users/scim-users.service';

@Module({})
export class ScimModule {
  static forRoot(redis?: Redis): DynamicModule {
    return {
      module: ScimModule,
      imports: [AuthModule, MappingModule],
      controllers: [DiscoveryController, ScimUsersController, ScimGroupsController, ScimRootController],
      providers: [
        { provide: SCIM_RATE_LIMITER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createScimRateLimiter(config, redis) },
        ScimRateLimitGuard,
        ProvisioningLogRecorder,
        ScimProtocol,
        ScimUsersService,
        ScimGroupsService,
        ScimBulkService,
        ScimRootSearchService,
      ],
      exports: [ProvisioningLogRecorder],
    };
  }
}
