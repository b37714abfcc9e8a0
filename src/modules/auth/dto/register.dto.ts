import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ minLength: 8, maxLength: 128, example: 'correct horse battery staple' })
  @IsString()
  @Length(8, 128, { message: 'password must be 8 to 128 characters long' })
  password!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Ada Lovelace' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  fullName?: string;

  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_]{3,20}$', example: 'ada_l' })
  @IsOmittable()
  @IsString()
  @Matches(/^[A-Za-z0-9_]{3,20}$/, {
    message: 'username must be 3 to 20 letters, digits or underscores',
  })
  username?: string;
}
