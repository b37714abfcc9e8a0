import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** A 6-digit TOTP code, or a recovery code (`ABCDE-FGHIJ`). */
export const MFA_CODE_PATTERN = /^(\d{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5})$/;

export class MfaCodeDto {
  @ApiProperty({ example: '123456', description: 'A TOTP code (or, to disable, a recovery code)' })
  @Matches(MFA_CODE_PATTERN, { message: 'code must be a 6-digit code or a recovery code' })
  code!: string;
}

export class MfaSetupResponseDto {
  @ApiProperty({ description: 'Base32 TOTP secret, for manual entry' }) secret!: string;
  @ApiProperty({ example: 'otpauth://totp/Subscription%20Service:ada%40example.com?secret=…' })
  otpauthUrl!: string;
}

export class RecoveryCodesResponseDto {
  @ApiProperty({
    type: [String],
    description: 'Ten single-use codes, shown only now',
    example: ['K3MZQ-7RTXA'],
  })
  recoveryCodes!: string[];
}

export class MfaVerifyDto extends MfaCodeDto {
  @ApiProperty({ description: 'The challenge from the MFA_REQUIRED answer of a sign-in' })
  @IsString()
  @Length(43, 43)
  mfaToken!: string;
}
