export * from './filename.policy';
export * from './media-upload.interceptor';
export * from './media-upload.service';
export * from './media.controller';
export * from './media.dto';
export * from './media.store';
export * from './mimetype.policy';
export * from './media-retention.runner';
