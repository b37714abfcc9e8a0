import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '../decorators/omittable.decorator.js';

/** `?page=1&perPage=20`, perPage at most 100 (API.md). */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, default: 1 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  // An offset past what PostgreSQL accepts would be a 500; no real list is this long.
  @Max(1_000_000)
  page = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  perPage = 20;
}

export interface Page<T> {
  data: T[];
  meta: { page: number; perPage: number; total: number };
}

export function pageOf<T>(data: T[], total: number, query: PageQueryDto): Page<T> {
  return { data, meta: { page: query.page, perPage: query.perPage, total } };
}
