import { DEFAULT_PAGE, MAX_PAGE } from './chat-query.service';
import { pageQueryDto } from '@wwb/http';

export class ConversationPageQueryDto extends pageQueryDto({
  maxLimit: MAX_PAGE,
  defaultLimit: DEFAULT_PAGE,
}) {}
