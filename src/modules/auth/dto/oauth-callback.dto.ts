import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsOmittable } from '../../../common/decorators/omittable.decorator.js';

export class OAuthCallbackQueryDto {
  @ApiProperty({ description: 'Authorization code from the provider' })
  @IsString()
  @Length(1, 2048)
  code!: string;

  @ApiProperty({ description: 'The state this service put in the authorization URL' })
  @IsString()
  @Length(1, 512)
  state!: string;

  // What providers add to the redirect besides code and state (Google: scope, authuser, prompt,
  // hd; RFC 9207: iss). Accepted so that the callback does not fail, and otherwise ignored.
  @ApiPropertyOptional({ description: 'Sent by the provider; ignored' })
  @IsOmittable()
  @IsString()
  @Length(0, 2048)
  scope?: string;

  @ApiPropertyOptional({ description: 'Sent by Google; ignored' })
  @IsOmittable()
  @IsString()
  @Length(0, 64)
  authuser?: string;

  @ApiPropertyOptional({ description: 'Sent by Google; ignored' })
  @IsOmittable()
  @IsString()
  @Length(0, 64)
  prompt?: string;

  @ApiPropertyOptional({ description: 'Sent by Google for Workspace accounts; ignored' })
  @IsOmittable()
  @IsString()
  @Length(0, 255)
  hd?: string;

  @ApiPropertyOptional({ description: 'The issuer (RFC 9207); ignored' })
  @IsOmittable()
  @IsString()
  @Length(0, 2048)
  iss?: string;
}
