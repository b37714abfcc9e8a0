import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { MFA_CODE_PATTERN } from './mfa.dto.js';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 128)
  password!: string;

  @ApiPropertyOptional({ description: 'TOTP code when MFA is enabled', example: '123456' })
  @IsOmittable()
  @Matches(MFA_CODE_PATTERN, { message: 'mfaCode must be a 6-digit code or a recovery code' })
  mfaCode?: string;
}
