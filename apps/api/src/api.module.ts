import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Redis } from 'ioredis';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { HttpErrorFilter } from './http/http-error.filter';
import { ScimModule } from './scim/scim.module';

@Module({})
export class ApiModule {
  static forRoot(redis?: Redis): DynamicModule {
    return {
      module: ApiModule,
      imports: [AuthModule, AdminModule, ScimModule.forRoot(redis), HealthModule.forRoot(redis)],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
