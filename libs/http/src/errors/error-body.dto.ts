import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** One invalid field of a request (body, query or path), as listed in a `validation_failed` error. */
export class FieldErrorDto {
  @ApiProperty({ example: 'plan', description: 'Dotted path of the field; `(body)` for the body itself' })
  field!: string;

  @ApiProperty({
    type: [String],
    example: ['plan must be one of the following values: starter, professional'],
  })
  messages!: string[];
}

/** The one error body every endpoint returns. */
export class ErrorBodyDto {
  @ApiProperty({ example: 400, description: 'HTTP status, repeated' })
  statusCode!: number;

  @ApiProperty({
    example: 'validation_failed',
    description:
      'Stable machine-readable code: validation_failed, malformed_json, payload_too_large, unsupported_media_type, ' +
      'not_found, missing_api_key, invalid_api_key, invalid_admin_key, account_disabled, plan_limit_exceeded, ' +
      'forbidden_scope, rate_limited, internal_error, ...',
  })
  code!: string;

  @ApiProperty({ example: 'Request validation failed' })
  message!: string;

  // Documented as what the server sends: the field list of validation_failed, and for other codes
  // an object of code-specific facts ({status} on 409 connection_not_waiting_for_qr, {resource,
  // plan, limit} on 403 plan_limit_exceeded, ...) or a list (header messages, template problems).
  @ApiPropertyOptional({
    anyOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldErrorDto) } },
      {
        type: 'array',
        items: { anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }] },
      },
      { type: 'object', additionalProperties: true },
    ],
    description:
      'Extra information: for validation_failed the invalid fields; for other codes an object of ' +
      'code-specific facts (e.g. `{resource, plan, limit}` for plan_limit_exceeded) or a list ' +
      '(messages, or the problems of a template with their line and column)',
  })
  details?: unknown;

  @ApiProperty({
    example: '6f1c1e0a-3c1b-4c56-9a43-2a4f8d1f4a10',
    description: 'Also in the X-Request-Id header',
  })
  requestId!: string;
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  requestId: string;
}
