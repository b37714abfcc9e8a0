import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../common/pagination/page-meta.dto.js';

export class LoginHistoryEntryDto {
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty({ example: '203.0.113.7' }) ip!: string;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty() success!: boolean;
  @ApiProperty({
    enum: [
      'success',
      'invalid_credentials',
      'mfa_required',
      'invalid_mfa_code',
      'account_suspended',
      'rate_limited',
    ],
  })
  reason!: string;
  @ApiProperty({ enum: ['password', 'github', 'google'] }) method!: string;
}

export class LoginHistoryPageDto {
  @ApiProperty({ type: [LoginHistoryEntryDto] }) data!: LoginHistoryEntryDto[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}
