import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator.js';
import { secretEquals } from '../common/crypto/secret-equal.js';
import { DomainError } from '../common/errors/index.js';
import { operationsConfig } from '../config/operations.config.js';
import { MetricsService } from './metrics.service.js';

/**
 * Prometheus scrape endpoint (text exposition format). Open unless METRICS_TOKEN is set; then
 * only `Authorization: Bearer <METRICS_TOKEN>` reads it (route names and counts tell an
 * attacker what runs and how busy it is).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(operationsConfig.KEY) private readonly config: ConfigType<typeof operationsConfig>,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (token && !secretEquals(authorization ?? '', `Bearer ${token}`))
      throw new DomainError('UNAUTHENTICATED', 'The metrics token is missing or wrong');
    void reply.header('Content-Type', this.metrics.contentType);
    return this.metrics.render();
  }
}
