import { DynamicModule, Module } from '@nestjs/common';
import { JobQueue } from '@delta/jobs';
import { RemapJob } from './remap.job';
import { RemapScheduler } from './remap.scheduler';

/** Background re-mapping of users after an attribute-mapping change. */
@Module({})
export class RemapModule {
  static forRoot(queue: JobQueue): DynamicModule {
    return { module: RemapModule, providers: [{ provide: JobQueue, useValue: queue }, RemapJob, RemapScheduler] };
  }
}
