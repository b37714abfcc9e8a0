import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

const FEATURE_KEY = /^[a-z][a-z0-9_]{0,63}$/;

export class RecordUsageDto {
  @ApiProperty({ example: 'api_requests' })
  @Matches(FEATURE_KEY, { message: 'feature must be a feature key such as api_requests' })
  feature!: string;

  @ApiProperty({ minimum: 1, maximum: 1_000_000_000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  quantity!: number;

  @ApiProperty({ required: false, example: 'gpt-4o' })
  @IsOmittable()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,100}$/, { message: 'model must be 1 to 100 printable characters' })
  model?: string;

  @ApiProperty({ required: false, description: 'A repeat with the same key is counted once' })
  @IsOmittable()
  @Matches(/^[\x21-\x7e]{1,255}$/, {
    message: 'idempotencyKey must be 1 to 255 printable characters',
  })
  idempotencyKey?: string;
}

export class UsageRecordedDto {
  @ApiProperty() feature!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Used in this quota period, this included',
  })
  used!: number | null;
  @ApiProperty({ type: Number, nullable: true }) limit!: number | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) periodEnd!: string | null;
}

export class UsageQueryDto {
  @ApiProperty({ example: '2026-11-01', description: 'First day (UTC), inclusive' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date (YYYY-MM-DD)' })
  from!: string;

  @ApiProperty({ example: '2026-11-30', description: 'Last day (UTC), inclusive' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date (YYYY-MM-DD)' })
  to!: string;

  @ApiProperty({ required: false })
  @IsOmittable()
  @Matches(FEATURE_KEY, { message: 'feature must be a feature key' })
  feature?: string;
}

export class DailyUsageDto {
  @ApiProperty({ example: '2026-11-23' }) day!: string;
  @ApiProperty() feature!: string;
  @ApiProperty({ type: String, nullable: true }) model!: string | null;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'How many recordings made up the quantity' }) events!: number;
}
