import { Controller, HttpCode, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { MediaUploadBodyDto, UploadedMediaDto } from './media.dto';
import { MediaUploadErrorsInterceptor } from './media-upload.interceptor';
import { MediaUploadService, UploadedFilePart } from './media-upload.service';

export const MEDIA_UPLOAD_PATH = '/v1/media';

@ApiTags('media')
@ApiKeyAuth()
@Controller('v1/media')
export class MediaController {
  constructor(private readonly uploads: MediaUploadService) {}

  @Post()
  @HttpCode(201)
  @UseInterceptors(MediaUploadErrorsInterceptor, FileInterceptor('file'))
  @ApiOperation({
    summary: 'Upload a media file (multipart/form-data, field "file") to send with messages',
    description:
      'Limited to MEDIA_MAX_BYTES; the part Content-Type must be in MEDIA_ALLOWED_MIMETYPES. Errors: ' +
      '400 file_required, file_empty, media_too_large, unsupported_mimetype, invalid_multipart. 403 ' +
      "plan_limit_exceeded when the file would take the account's stored media over its plan's mediaBytes " +
      '(GET /v1/account shows limit and usage).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: MediaUploadBodyDto })
  @ApiCreatedResponse({ type: UploadedMediaDto })
  @ApiErrorResponses(400)
  async upload(
    @CurrentPrincipal() principal: Principal,
    @UploadedFile() file: UploadedFilePart | undefined,
  ): Promise<UploadedMediaDto> {
    return this.uploads.upload(principal.scope, file);
  }
}
