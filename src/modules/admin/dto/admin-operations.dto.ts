import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsInt,
  IsString,
  Length,
  MaxLength,
  NotEquals,
  Max,
  Min,
} from 'class-validator';
import { PageMetaDto } from '../../../common/pagination/page-meta.dto.js';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

/** Why an operator acts: written to the audit log with the change. */
export class OperatorReasonDto {
  @ApiPropertyOptional({ description: 'Why, for the audit log' })
  @IsOmittable()
  @IsString()
  @Length(1, 500)
  reason?: string;

  @ApiPropertyOptional({ description: 'The support ticket, for the audit log' })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  ticketId?: string;
}

/** For changes to money, reason and ticket are required. */
export class RequiredReasonDto {
  @ApiProperty({ description: 'Why, for the audit log' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiProperty({ description: 'The support ticket, for the audit log' })
  @IsString()
  @Length(1, 100)
  ticketId!: string;
}

export class WalletAdjustmentDto extends RequiredReasonDto {
  @ApiProperty({ description: 'Credits to add (positive) or take (negative)', example: 500 })
  @IsInt()
  @NotEquals(0)
  @Min(-1_000_000_000)
  @Max(1_000_000_000)
  amount!: number;
}

export class WalletAdjustmentResultDto {
  @ApiProperty({ format: 'uuid' }) transactionId!: string;
  @ApiProperty() balance!: number;
}

export class AdminRoleDto extends OperatorReasonDto {
  @ApiProperty({ enum: ['user', 'admin'] })
  @IsIn(['user', 'admin'])
  role!: 'user' | 'admin';
}

export class IntentCleanupDto extends OperatorReasonDto {}

export class IntentCleanupResultDto {
  @ApiProperty() expiredCount!: number;
}

export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['SUBSCRIPTION', 'ORGANIZATION', 'USER', 'INTENT', 'WALLET', 'API_KEY', 'WEBHOOK'],
  })
  @IsOmittable()
  @IsIn(['SUBSCRIPTION', 'ORGANIZATION', 'USER', 'INTENT', 'WALLET', 'API_KEY', 'WEBHOOK'])
  entityType?: string;

  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(255) entityId?: string;

  @ApiPropertyOptional({ enum: ['USER', 'ADMIN', 'WEBHOOK', 'SYSTEM'] })
  @IsOmittable()
  @IsIn(['USER', 'ADMIN', 'WEBHOOK', 'SYSTEM'])
  actorType?: string;

  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(255) actorId?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOmittable()
  @Type(() => Date)
  @IsDate({ message: 'startDate must be a date' })
  startDate?: Date;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOmittable()
  @Type(() => Date)
  @IsDate({ message: 'endDate must be a date' })
  endDate?: Date;
}

export class AuditLogDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() entityType!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty() action!: string;
  @ApiProperty() actorType!: string;
  @ApiProperty({ type: String, nullable: true }) actorId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) changes!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
}

export class AuditLogPageDto {
  @ApiProperty({ type: [AuditLogDto] }) data!: AuditLogDto[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}

export class ChainVerificationDto {
  @ApiProperty() valid!: boolean;
  @ApiProperty() checked!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) firstBrokenId!: string | null;
}
