import type { ContactView } from '@wwb/contacts';

/**
 * The contact a message goes to, as templates see it (`{{contact.name}}`,
 * `{{contact.attributes.city}}`): any ContactView will do; these are the fields the engine needs.
 */
export type TemplateContact = Pick<
  ContactView,
  'id' | 'phone' | 'name' | 'tags' | 'attributes' | 'timeZone' | 'language'
>;

/** What a render reads besides the template: variables, the contact, and overrides of its zone and language. */
export interface RenderContext {
  variables: Record<string, unknown>;
  contact?: TemplateContact;
  /** IANA zone for formatDate; default: the contact's, else UTC. */
  timeZone?: string;
  /** BCP-47 language for the Intl helpers; default: the contact's, else the template's, else `en`. */
  locale?: string;
  now?: Date;
}
