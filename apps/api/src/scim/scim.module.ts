import { DynamicModule, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@delta/config';
import { AuthModule } from '../auth/auth.module';
import { DiscoveryController } from './discovery.controller';
import { ProvisioningLogRecorder } from './provisioning-log.recorder';
import { SCIM_RATE_LIMITER, ScimRateLimitGuard } from './scim-rate-limit.guard';
import { createScimRateLimiter } from './scim-rate-limiter.factory';

@Module({})
export class ScimModule {
  static forRoot(redis?: Redis): DynamicModule {
    return {
      module: ScimModule,
      imports: [AuthModule],
      controllers: [DiscoveryController],
      providers: [
        { provide: SCIM_RATE_LIMITER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createScimRateLimiter(config, redis) },
        ScimRateLimitGuard,
        ProvisioningLogRecorder,
      ],
      exports: [ProvisioningLogRecorder],
    };
  }
}
