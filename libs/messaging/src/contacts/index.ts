export * from './contact-check.dto';
export * from './contact-check.service';
export * from './contacts.controller';
