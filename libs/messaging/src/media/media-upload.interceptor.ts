import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { AppConfig } from '@wwb/config';
import { AppError } from '@wwb/http';

/**
 * Wraps multer (FileInterceptor, which must come after it) so that its errors get our codes:
 * a file over MEDIA_MAX_BYTES is 400 media_too_large, any other multipart problem (an extra
 * file or field, a malformed body) is 400 invalid_multipart.
 */
@Injectable()
export class MediaUploadErrorsInterceptor implements NestInterceptor {
  private readonly maxBytes: number;

  constructor(config: AppConfig) {
    this.maxBytes = config.media.maxBytes;
  }

  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => {
        if (err instanceof PayloadTooLargeException) {
          return throwError(
            () =>
              new AppError(400, 'media_too_large', `The file is larger than ${this.maxBytes} bytes`, {
                limitBytes: this.maxBytes,
              }),
          );
        }
        if (err instanceof BadRequestException) {
          return throwError(() => new AppError(400, 'invalid_multipart', err.message));
        }
        return throwError(() => err);
      }),
    );
  }
}
