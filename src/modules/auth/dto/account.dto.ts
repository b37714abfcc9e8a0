import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

export class ChangeEmailDto {
  @ApiProperty({ example: 'ada@newmail.example' })
  @IsEmail({}, { message: 'newEmail must be a valid email address' })
  @MaxLength(320)
  newEmail!: string;

  @ApiProperty({ description: 'The current password' })
  @IsString()
  @Length(1, 128)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 128)
  currentPassword!: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128, { message: 'newPassword must be 8 to 128 characters long' })
  newPassword!: string;
}

export class DeleteAccountDto {
  @ApiProperty({ description: 'The current password' })
  @IsString()
  @Length(1, 128)
  password!: string;
}
