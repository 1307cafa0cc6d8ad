import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Attributes } from './contact-fields.policy';

export const OPT_OUT_SOURCES = ['keyword', 'api', 'import'] as const;
export type OptOutSource = (typeof OPT_OUT_SOURCES)[number];

export interface OptOutState {
  optedOut: boolean;
  /** When the state last changed (null: never). */
  at: Date | null;
  reason: string | null;
  source: OptOutSource | null;
}

/**
 * A contact: what the account says about a phone number. Written by the API, the CSV import and
 * the automation (tags, opt-out), never by the inbound activity (see ContactActivityDoc).
 * Unique per (accountId, phone): the unique insert is what keeps two creators of one number
 * from making two contacts, also on FerretDB.
 */
@Schema({ collection: 'contacts', versionKey: false })
export class ContactDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  /** E.164. */
  @Prop({ type: String, required: true })
  phone!: string;

  @Prop({ type: String, default: null })
  name!: string | null;

  @Prop({ type: [String], default: [] })
  tags!: string[];

  @Prop({ type: Object, default: {} })
  attributes!: Attributes;

  @Prop({ type: String, required: true })
  timeZone!: string;

  @Prop({ type: String, default: null })
  language!: string | null;

  @Prop({ type: Object, required: true })
  optOut!: OptOutState;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, required: true })
  updatedAt!: Date;
}

export const ContactSchema = SchemaFactory.createForClass(ContactDoc);
ContactSchema.index({ accountId: 1, phone: 1 }, { unique: true });
ContactSchema.index({ accountId: 1, _id: -1 });
ContactSchema.index({ accountId: 1, tags: 1 });

export type ContactRecord = ContactDoc;

/**
 * What inbound messages teach about a contact (`_id` = contact id). Its own document so that
 * the inbound pipeline, which writes it on every message, never rewrites the contact document:
 * FerretDB applies concurrent updates of one document as read-modify-write, so even a `$set` of
 * disjoint fields could undo a tag edit the API makes at the same moment.
 */
@Schema({ collection: 'contact_activity', versionKey: false })
export class ContactActivityDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  @Prop({ type: Date, required: true })
  lastInboundAt!: Date;

  /** The name the person gave themselves in WhatsApp. */
  @Prop({ type: String, default: null })
  pushName!: string | null;

  /** The connection that received the last inbound message. */
  @Prop({ type: String, required: true })
  connectionId!: string;
}

export const ContactActivitySchema = SchemaFactory.createForClass(ContactActivityDoc);
ContactActivitySchema.index({ accountId: 1, _id: 1 });

export type ContactActivityRecord = ContactActivityDoc;

/**
 * The phone key of a contact (`_id` = `<accountId>/<E.164>`): lets the inbound pipeline find the
 * contact of a phone by `_id` alone, the one filter FerretDB 1.24 answers without reading the
 * whole collection. Written whenever a contact gets a phone (create, import, phone change) and
 * removed with it (phone change, delete). A lookup aid only: the unique (accountId, phone) index
 * of `contacts` stays the guard against two contacts of one number, and a reader checks the
 * contact it points to (a key left behind by a crash is repaired by the next inbound message).
 */
@Schema({ collection: 'contact_phone_keys', versionKey: false })
export class ContactPhoneKeyDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  @Prop({ type: String, required: true })
  contactId!: string;
}

export const ContactPhoneKeySchema = SchemaFactory.createForClass(ContactPhoneKeyDoc);

export type ContactPhoneKeyRecord = ContactPhoneKeyDoc;

export const phoneKeyId = (accountId: string, phone: string): string => `${accountId}/${phone}`;
