export * from './app.error';
export * from './error-body.dto';
export { codeForStatus, mapError } from './error-mapping';
export * from './http-exception.filter';
export { AppValidationPipe, fieldErrors } from './validation.pipe';
