import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../common/pagination/page-meta.dto.js';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

export class WalletDto {
  @ApiProperty() balance!: number;
  @ApiProperty({ description: 'Held by open reservations' }) held!: number;
  @ApiProperty({
    description:
      'Credits refunded or lost in a dispute after they were spent or held: paid first from the next credits',
  })
  debt!: number;
  @ApiProperty({ description: 'Credits of a purchase under an open dispute' }) frozen!: number;
  @ApiProperty({ description: 'balance - held - debt - frozen, never below 0: what may be spent' })
  available!: number;
  @ApiProperty({ type: Number, nullable: true }) lowBalanceThreshold!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
}

export class WalletSettingsDto {
  @ApiProperty({ type: Number, nullable: true, description: 'null turns the alert off' })
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  lowBalanceThreshold!: number | null;
}

export class WalletTransactionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['purchase', 'usage', 'refund', 'grant', 'adjustment'] }) type!: string;
  @ApiProperty({ description: 'Signed: credits in are positive' }) amount!: number;
  @ApiProperty() balanceAfter!: number;
  @ApiProperty() reference!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class WalletTransactionPageDto {
  @ApiProperty({ type: [WalletTransactionDto] }) data!: WalletTransactionDto[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}
