import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ENVELOPE_SCHEMA, EventEnvelope } from './event-envelope';
import { EVENT_DEFINITIONS } from './event-catalog';

export type ValidationResult = { ok: true; event: EventEnvelope } | { ok: false; errors: string[] };

/**
 * Validates envelopes read from Kafka (or anywhere else) against the envelope schema and,
 * for catalogued types, the data schema. Unknown types pass with only the envelope checked,
 * so that an older consumer tolerates a newer producer.
 */
export class EventValidator {
  private readonly envelope: ValidateFunction;
  private readonly data = new Map<string, ValidateFunction>();

  constructor() {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    this.envelope = ajv.compile(ENVELOPE_SCHEMA);
    for (const def of EVENT_DEFINITIONS)
      this.data.set(`${def.type}@${def.version}`, ajv.compile(def.dataSchema));
  }

  validate(value: unknown): ValidationResult {
    if (!this.envelope(value)) return { ok: false, errors: describe(this.envelope) };
    const event = value as unknown as EventEnvelope;
    const dataCheck = this.data.get(`${event.type}@${event.version}`);
    if (dataCheck && !dataCheck(event.data)) return { ok: false, errors: describe(dataCheck, 'data') };
    return { ok: true, event };
  }

  parse(raw: Buffer | string | null): ValidationResult {
    if (raw === null) return { ok: false, errors: ['empty message'] };
    let value: unknown;
    try {
      value = JSON.parse(raw.toString());
    } catch (err) {
      return { ok: false, errors: [`not JSON: ${(err as Error).message}`] };
    }
    return this.validate(value);
  }
}

function describe(fn: ValidateFunction, root = ''): string[] {
  return (fn.errors ?? []).map((e) => `${root}${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
