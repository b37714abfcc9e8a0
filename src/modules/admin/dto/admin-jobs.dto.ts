import { ApiProperty } from '@nestjs/swagger';

export class JobRunDto {
  @ApiProperty({ example: 'webhook-retry' }) job!: string;
  @ApiProperty({ description: 'false when another replica holds the job' }) ran!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    nullable: true,
    example: { tried: 2, applied: 1 },
  })
  result!: Record<string, number> | null;
}
