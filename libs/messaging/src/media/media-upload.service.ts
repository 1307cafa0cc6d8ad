import { Injectable } from '@nestjs/common';
import { AccountQuotaService } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import { AccountScope } from '@wwb/persistence';
import { DomainError } from '@wwb/runtime';
import { cleanUploadedFilename } from './filename.policy';
import { MediaStore } from './media.store';
import { UploadedMediaDto } from './media.dto';
import { MimetypePolicy } from './mimetype.policy';

/** The part of a multipart file the upload needs (multer's file, memory storage). */
export interface UploadedFilePart {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/**
 * `POST /v1/media`: checks the media type against MEDIA_ALLOWED_MIMETYPES and the account's
 * stored bytes against its plan's mediaBytes (403 plan_limit_exceeded), and stores the file in GridFS.
 */
@Injectable()
export class MediaUploadService {
  private readonly mimetypes: MimetypePolicy;

  constructor(
    private readonly store: MediaStore,
    private readonly quotas: AccountQuotaService,
    config: AppConfig,
  ) {
    this.mimetypes = new MimetypePolicy(config.media.allowedMimetypes);
  }

  async upload(scope: AccountScope, file: UploadedFilePart | undefined): Promise<UploadedMediaDto> {
    if (!file) throw DomainError.invalid('file_required', 'Send the file as the multipart field "file"');
    if (file.size === 0) throw DomainError.invalid('file_empty', 'The file is empty');
    if (!this.mimetypes.allows(file.mimetype)) {
      throw DomainError.invalid(
        'unsupported_mimetype',
        `media type "${file.mimetype.slice(0, 100)}" is not accepted`,
      );
    }
    const name = cleanUploadedFilename(file.originalname);
    await this.quotas.checkMediaBytes(scope, file.buffer.length);
    const stored = await this.store.save(scope, {
      data: file.buffer,
      mimetype: file.mimetype,
      ...(name ? { filename: name } : {}),
    });
    return {
      uploadId: stored.uploadId,
      mimetype: stored.mimetype,
      size: stored.size,
      filename: stored.filename ?? null,
    };
  }
}
