import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { HttpErrorFilter } from './http/http-error.filter';
import { ROOT_LOGGER } from './http/tokens';
import { ScimModule } from './scim/scim.module';

@Module({})
export class ApiModule {
  static forRoot(logger: Logger, redis?: Redis): DynamicModule {
    return {
      module: ApiModule,
      imports: [AuthModule, AdminModule, ScimModule, HealthModule.forRoot(redis)],
      providers: [
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
