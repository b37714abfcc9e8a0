import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Redis } from 'ioredis';
import { authConfig } from '../../config/auth.config.js';
import { AuthRateLimitGuard } from './auth-rate-limit.guard.js';
import { COUNTER_STORE } from './counter.store.js';
import { MemoryCounterStore } from './memory-counter.store.js';
import { RedisCounterStore } from './redis-counter.store.js';

const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

/**
 * Rate-limit counters: the per-ip limit of the auth routes (AuthRateLimitGuard) and per-account
 * failure counters. In Redis when RATE_LIMIT_REDIS_URL is set, so that replicas share them; in
 * process otherwise.
 */
@Global()
@Module({
  providers: [
    {
      provide: RATE_LIMIT_REDIS,
      inject: [authConfig.KEY],
      useFactory: (config: ConfigType<typeof authConfig>): Redis | null =>
        config.rateLimitRedisUrl
          ? new Redis(config.rateLimitRedisUrl, { maxRetriesPerRequest: 2 })
          : null,
    },
    {
      provide: COUNTER_STORE,
      inject: [RATE_LIMIT_REDIS],
      useFactory: (redis: Redis | null) =>
        redis ? new RedisCounterStore(redis) : new MemoryCounterStore(),
    },
    AuthRateLimitGuard,
  ],
  exports: [COUNTER_STORE, AuthRateLimitGuard],
})
export class RateLimitModule implements OnApplicationShutdown {
  constructor(@Inject(RATE_LIMIT_REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit();
  }
}
