export * from './faq-bots.module';
export { FaqBotsService } from './faq-bots.service';
export type { FaqOutcome, FaqReport } from './faq-bots.service';
export type { FaqAnswer, FaqBotView } from './faq-bot.mapper';
export type { FaqAnswerContent, FaqCandidate } from './faq-matching.policy';
export type { FaqBotMode, FaqOutcomeKind } from './faq-bot.schema';
