import { Controller, Get, HttpCode, Optional, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Database } from '@delta/persistence';
import { RedisHealth } from './redis-health';

@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    private readonly db: Database,
    @Optional() private readonly redis?: RedisHealth,
  ) {}

  /** Alive: the event loop answers. Never touches dependencies, so it cannot cascade. */
  @Get('healthz')
  @HttpCode(200)
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready: the database (and Redis, where configured) answer within the timeout. */
  @Get('readyz')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: string; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    checks.database = await probe(() => this.db.unscoped('SELECT 1'));
    if (this.redis) checks.redis = await probe(() => this.redis!.ping());
    const ok = Object.values(checks).every((c) => c === 'ok');
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000))),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error && error.message === 'timeout' ? 'timeout' : 'error';
  } finally {
    clearTimeout(timer);
  }
}
