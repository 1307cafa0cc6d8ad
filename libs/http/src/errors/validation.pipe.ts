import { Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from './app.error';
import { FieldErrorDto } from './error-body.dto';

/** Flattens class-validator errors into one entry per invalid field, with dotted paths. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldErrorDto[] {
  const out: FieldErrorDto[] = [];
  for (const e of errors) {
    const field = e.property ? (parent ? `${parent}.${e.property}` : e.property) : parent || '(body)';
    const messages = Object.values(e.constraints ?? {});
    if (messages.length) out.push({ field, messages });
    if (e.children?.length) out.push(...fieldErrors(e.children, field));
  }
  return out;
}

export function validationFailed(errors: ValidationError[]): AppError {
  return new AppError(400, 'validation_failed', 'Request validation failed', fieldErrors(errors));
}

/** Global pipe: unknown fields and wrong types are refused with 400 validation_failed. */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: validationFailed,
    });
  }
}
