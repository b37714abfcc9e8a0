import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** Fields left out stay as they are; `null` clears bio and avatarUrl. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_]{3,20}$', example: 'ada_l' })
  @IsOmittable()
  @Matches(/^[A-Za-z0-9_]{3,20}$/, {
    message: 'username must be 3 to 20 letters, digits or underscores',
  })
  username?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  fullName?: string;

  @ApiPropertyOptional({ type: String, maxLength: 500, nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsString()
  @MaxLength(500)
  bio?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uri',
    nullable: true,
    example: 'https://example.com/ada.png',
  })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { message: 'avatarUrl must be an http(s) URL' },
  )
  @MaxLength(2048)
  avatarUrl?: string | null;
}
