import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class OAuthCallbackQueryDto {
  @ApiProperty({ description: 'Authorization code from the provider' })
  @IsString()
  @Length(1, 2048)
  code!: string;

  @ApiProperty({ description: 'The state this service put in the authorization URL' })
  @IsString()
  @Length(1, 512)
  state!: string;
}
