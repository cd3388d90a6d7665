import { Client } from 'pg';
import { Redis } from 'ioredis';

export default async function globalTeardown(): Promise<void> {
  const database = process.env.DELTA_TEST_DATABASE;
  if (database && process.env.KEEP_TEST_DATABASE !== '1') {
    const admin = new Client({ connectionString: process.env.DELTA_TEST_BASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  const prefix = process.env.DELTA_TEST_REDIS_PREFIX;
  if (prefix && process.env.DELTA_TEST_REDIS_URL) {
    const redis = new Redis(process.env.DELTA_TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}
