import { Schema } from 'mongoose';

export const TEMPLATE_MODEL = 'MessageTemplate';
export const TEMPLATE_REF_MODEL = 'TemplateReference';
export const TEMPLATE_DELETION_MODEL = 'TemplateDeletion';

export const TEMPLATE_CATEGORIES = ['marketing', 'utility', 'service'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export const TEMPLATE_MEDIA_TYPES = ['image', 'document', 'video', 'audio'] as const;
export type TemplateMediaType = (typeof TEMPLATE_MEDIA_TYPES)[number];

/** Media sent with the text: a URL (checked when a message is sent) or an upload from POST /v1/media. */
export interface TemplateMedia {
  type: TemplateMediaType;
  url?: string;
  uploadId?: string;
  filename?: string;
}

export interface TemplateVariable {
  /** A path: `orderId`, `order.total`. */
  name: string;
  /** Used by previews when no value is given; any JSON value (a list for `#each`). */
  example: unknown;
  description?: string;
}

/**
 * A message template. Written by the API only; `revision` grows with every change (a PATCH
 * replaces the fields it names), and `nameKey` (the lower-cased name) is unique per account.
 */
export interface TemplateRecord {
  _id: string;
  accountId: string;
  name: string;
  nameKey: string;
  language: string;
  category: TemplateCategory;
  body: string;
  variables: TemplateVariable[];
  media?: TemplateMedia;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A variable as stored: the example as JSON text, because an example object may have keys that
 * MongoDB refuses as field names (`a.b`, `$x`).
 */
export interface StoredTemplateVariable {
  name: string;
  exampleJson: string;
  description?: string;
}

export type TemplateDoc = Omit<TemplateRecord, 'variables'> & { variables: StoredTemplateVariable[] };

export const TemplateSchema = new Schema<TemplateDoc>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    language: { type: String, required: true },
    category: { type: String, required: true },
    body: { type: String, required: true },
    variables: {
      type: [{ _id: false, name: String, exampleJson: String, description: String }],
      default: [],
    },
    media: { type: Schema.Types.Mixed },
    revision: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'templates', versionKey: false, _id: false, minimize: false },
);
TemplateSchema.index({ accountId: 1, nameKey: 1 }, { name: 'account_name', unique: true });
TemplateSchema.index({ accountId: 1, _id: 1 }, { name: 'account_id' });

export const TEMPLATE_OWNER_KINDS = ['auto_reply', 'faq_bot', 'campaign'] as const;
export type TemplateOwnerKind = (typeof TEMPLATE_OWNER_KINDS)[number];

/** One object (rule, bot, campaign) using one template: inserted once, never updated. */
export interface TemplateRefRecord {
  _id: string;
  accountId: string;
  ownerKind: TemplateOwnerKind;
  ownerId: string;
  templateId: string;
  createdAt: Date;
}

export const TemplateRefSchema = new Schema<TemplateRefRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    ownerKind: { type: String, required: true },
    ownerId: { type: String, required: true },
    templateId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'template_refs', versionKey: false, _id: false },
);
TemplateRefSchema.index(
  { accountId: 1, ownerKind: 1, ownerId: 1, templateId: 1 },
  { name: 'account_owner_template', unique: true },
);
TemplateRefSchema.index({ accountId: 1, templateId: 1 }, { name: 'account_template' });

/**
 * A delete in progress (`_id` = template id). References are added insert-then-check and
 * templates deleted mark-then-check, so one of the two always sees the other.
 */
export interface TemplateDeletionRecord {
  _id: string;
  accountId: string;
  startedAt: Date;
}

export const TemplateDeletionSchema = new Schema<TemplateDeletionRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    startedAt: { type: Date, required: true },
  },
  { collection: 'template_deletions', versionKey: false, _id: false },
);

export const TEMPLATE_MODELS = [
  { name: TEMPLATE_MODEL, schema: TemplateSchema },
  { name: TEMPLATE_REF_MODEL, schema: TemplateRefSchema },
  { name: TEMPLATE_DELETION_MODEL, schema: TemplateDeletionSchema },
];
