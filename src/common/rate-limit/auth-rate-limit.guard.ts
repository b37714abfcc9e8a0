import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { authConfig } from '../../config/auth.config.js';
import { DomainError } from '../errors/index.js';
import { COUNTER_STORE, type CounterStore } from './counter.store.js';

const WINDOW_MS = 60_000;

/**
 * AUTH_RATE_LIMIT_PER_MINUTE requests per client ip across the unauthenticated auth routes
 * (one shared budget, so an attacker cannot spread guesses over several of them); beyond it,
 * 429 RATE_LIMITED with Retry-After until the minute is over. Counters live in COUNTER_STORE
 * (Redis when configured), so replicas share the budget.
 */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const { count, resetInMs } = await this.counters.increment(`auth-ip:${request.ip}`, WINDOW_MS);
    if (count > this.config.rateLimitPerMinute) {
      throw new DomainError('RATE_LIMITED', 'Too many requests from this address; slow down', {
        retryAfterSeconds: resetInMs / 1000,
      });
    }
    return true;
  }
}
