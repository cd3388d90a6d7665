import { DynamicModule, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { HealthController } from './health.controller';
import { RedisHealth } from './redis-health';

@Module({})
export class HealthModule {
  static forRoot(redis?: Redis): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: redis ? [{ provide: RedisHealth, useValue: new RedisHealth(redis) }] : [],
    };
  }
}
