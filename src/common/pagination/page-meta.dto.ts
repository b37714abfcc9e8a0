import { ApiProperty } from '@nestjs/swagger';

export class PageMetaDto {
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 20 }) perPage!: number;
  @ApiProperty({ example: 42 }) total!: number;
}
