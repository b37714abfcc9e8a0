import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, MaxLength, Max, Min } from 'class-validator';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

const FEATURE_KEY = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_CREDITS = 1_000_000_000;

export class ChargeCreditsDto {
  @ApiProperty({ minimum: 1, example: 5 })
  @IsInt()
  @Min(1)
  @Max(MAX_CREDITS)
  amount!: number;

  @ApiProperty({ example: 'render', description: 'The catalog feature the credits pay for' })
  @Matches(FEATURE_KEY, { message: 'feature must be a feature key such as render' })
  feature!: string;

  @ApiProperty({ required: false, example: 'gpt-4o' })
  @IsOmittable()
  @Matches(/^[\x21-\x7e]{1,100}$/, { message: 'model must be 1 to 100 printable characters' })
  model?: string;

  @ApiProperty({ required: false })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class ChargeResultDto {
  @ApiProperty({ format: 'uuid' }) transactionId!: string;
  @ApiProperty() charged!: number;
  @ApiProperty() balance!: number;
}

export class CreateReservationDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_CREDITS)
  amount!: number;

  @ApiProperty({ example: 'render' })
  @Matches(FEATURE_KEY, { message: 'feature must be a feature key such as render' })
  feature!: string;

  @ApiProperty({ required: false, default: 900, minimum: 1, maximum: 86400 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(86_400)
  ttlSeconds?: number;

  @ApiProperty({ required: false })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class ReservationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() amount!: number;
  @ApiProperty({ enum: ['held', 'finalized', 'released', 'expired'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class FinalizeReservationDto {
  @ApiProperty({ minimum: 0, description: 'The final cost: at most the amount held' })
  @IsInt()
  @Min(0)
  @Max(MAX_CREDITS)
  amount!: number;
}

export class FinalizeResultDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null when nothing was charged',
  })
  transactionId!: string | null;
  @ApiProperty() charged!: number;
  @ApiProperty() released!: number;
  @ApiProperty() balance!: number;
}

export class ReleaseResultDto {
  @ApiProperty() released!: number;
}
