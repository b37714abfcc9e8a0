import { ApiProperty } from '@nestjs/swagger';
import { SubscriptionResponseDto } from '../../subscription/dto/subscription-response.dto.js';

class WalletBalanceDto {
  @ApiProperty({ example: 5500 }) balance!: number;
}

export class CheckoutStatusDto {
  @ApiProperty({ enum: ['pending', 'paid', 'expired', 'failed'] }) status!:
    'pending' | 'paid' | 'expired' | 'failed';
  @ApiProperty({ enum: ['subscription', 'credits'] }) kind!: 'subscription' | 'credits';
  @ApiProperty({ description: 'Credits (with bonus) this checkout has put in the wallet' })
  creditsGranted!: number;
  @ApiProperty({ type: WalletBalanceDto }) wallet!: WalletBalanceDto;
  @ApiProperty({ type: SubscriptionResponseDto, nullable: true })
  subscription!: SubscriptionResponseDto | null;
}
