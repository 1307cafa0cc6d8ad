export { ChatHandoffController } from './chat-handoff.controller';
export { ChatHandoffRequestsService } from './chat-handoff-requests.service';
export type { HandoffCommand } from './chat-handoff-requests.service';
export { HandoffRequestDto, HandoffStateDto, TakeOverDto, MAX_TAKE_OVER_MINUTES } from './chat-handoff.dto';
