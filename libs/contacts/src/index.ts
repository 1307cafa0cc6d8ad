export * from './contacts.module';
export { ContactsService } from './contacts.service';
export type { ContactPage, ContactPatch, InboundContact, OptOutChange } from './contacts.service';
export { OptOutPolicy, OPT_IN_WORDS, OPT_OUT_WORDS } from './opt-out.policy';
export type { OptOutIntent } from './opt-out.policy';
export type { ContactView } from './contact.mapper';
export type { AttributeValue, Attributes } from './contact-fields.policy';
export type { OptOutSource } from './contact.schema';
export { defaultTimeZone, normalisePhone, tryNormalisePhone } from './phone-number.policy';
