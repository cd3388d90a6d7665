import { DynamicModule, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig, resolveEncryptionKey } from '@delta/config';
import { CredentialCipher } from '@delta/core';
import { JobPayload, JobQueue } from '@delta/jobs';
import { OutboxRelay } from '../relay/outbox-relay.service';
import { ScopeResolver } from '../relay/scope.resolver';
import { ConnectionRateLimiter } from './connection-rate-limiter';
import { ConnectorRegistry } from './converge/connector.registry';
import { ConvergenceService } from './converge/convergence.service';
import { DeliverySweeper } from './delivery-sweeper.service';
import { DeliveryExecutor } from './delivery.executor';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryProcessor } from './delivery.processor';
import { DELIVERY_JOB, DeliveryJobPayload, DeliveryScheduler } from './delivery.scheduler';

/** The fan-out engine in the worker: outbox relay, delivery processor, sweeper. */
@Module({})
export class DeliveryModule implements OnApplicationBootstrap {
  static forRoot(queue: JobQueue, redis?: Redis): DynamicModule {
    return {
      module: DeliveryModule,
      providers: [
        { provide: JobQueue, useValue: queue },
        { provide: CredentialCipher, inject: [APP_CONFIG], useFactory: (config: AppConfig) => CredentialCipher.single(resolveEncryptionKey(config)) },
        { provide: ConnectionRateLimiter, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new ConnectionRateLimiter(redis, config.redis.keyPrefix) },
        DeliveryScheduler,
        ConnectorRegistry,
        ConvergenceService,
        DeliveryExecutor,
        DeliveryMetrics,
        DeliveryProcessor,
        DeliverySweeper,
        ScopeResolver,
        OutboxRelay,
      ],
      exports: [OutboxRelay, DeliverySweeper],
    };
  }

  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly processor: DeliveryProcessor,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.register(DELIVERY_JOB, async (payload: JobPayload) => {
      // A payload version this build does not know is dropped; the sweeper re-enqueues the delivery.
      if (payload.v !== 1) return;
      await this.processor.run(payload as DeliveryJobPayload);
    });
  }
}
