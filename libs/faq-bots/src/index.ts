export * from './faq-bots.module';
