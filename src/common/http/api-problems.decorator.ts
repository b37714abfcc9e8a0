import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

class FieldErrorDto {
  @ApiProperty({ example: 'email' }) field!: string;
  @ApiProperty({ example: 'email must be a valid email address' }) message!: string;
}

/** RFC 9457 problem details, as every error is rendered. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'urn:subscription-service:problem:validation-failed' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'Invalid fields: email' }) detail!: string;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable UPPER_SNAKE error code' })
  code!: string;
  @ApiProperty({ example: '5f0c6a2e-0d55-4f0e-9a43-1c1f1d0b9c11' }) requestId!: string;
  @ApiProperty({ type: [FieldErrorDto], required: false }) errors?: FieldErrorDto[];
  @ApiProperty({
    required: false,
    description: 'MFA_REQUIRED only: send it with the code to POST /v1/auth/mfa/verify (5 min)',
  })
  mfaToken?: string;
}

/** Documents the problem+json answers a route can give. */
export const ApiProblems = (...statuses: number[]): MethodDecorator =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, type: ProblemDetailsDto, content: { 'application/problem+json': {} } }),
    ),
  );
