import { Schema } from 'mongoose';

export const SIGNING_SECRET_MODEL = 'AutomationSigningSecret';

/**
 * The secret that signs an account's rule HTTP actions (`_id` = account id), Standard Webhooks
 * style (`whsec_` + base64). Created once, by a unique insert, the first time it is needed.
 */
export interface SigningSecretRecord {
  _id: string;
  secret: string;
  createdAt: Date;
}

export const SigningSecretSchema = new Schema<SigningSecretRecord>(
  {
    _id: { type: String, required: true },
    secret: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'automation_signing_secrets', versionKey: false, _id: false },
);
