import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The multipart body of POST /v1/media (for the API docs). */
export class MediaUploadBodyDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'The file; its part Content-Type is its media type',
  })
  file!: unknown;
}

export class UploadedMediaDto {
  @ApiProperty({ example: 'upl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) uploadId!: string;
  @ApiProperty({ example: 'image/jpeg' }) mimetype!: string;
  @ApiProperty({ example: 48213, description: 'Bytes' }) size!: number;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'photo.jpg' }) filename!: string | null;
}
