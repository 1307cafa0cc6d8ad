import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ContactsService } from '@wwb/contacts';
import { AccountScope } from '@wwb/persistence';
import { DomainError } from '@wwb/runtime';
import type { RenderContext, TemplateContact } from './render-context';
import { getPath, setPath, TemplateEngine } from './template-engine.service';
import { TEMPLATE_ID_PATTERN } from './template-fields.policy';
import { TemplateRepository } from './template.repository';
import { TemplateMedia, TemplateRecord } from './template.schema';

/** In-process event (EventEmitter2) after a template changed or was deleted. */
export const TEMPLATE_CHANGED = 'template.changed';

export interface TemplateChangedEvent {
  accountId: string;
  templateId: string;
  change: 'updated' | 'deleted';
  revision: number;
  /** Hash of the body before the change (TemplateEngine.hashOf). */
  previousBodyHash: string;
}

export interface RenderedTemplate {
  text: string;
  media?: TemplateMedia;
}

export interface TemplatePreview extends RenderedTemplate {
  /** Paths the body reads that had no value (rendered as empty text). */
  missingVariables?: string[];
}

/** What a preview renders: a saved template, or a body being edited. */
export type TemplateDraft = Pick<TemplateRecord, 'body' | 'variables' | 'language'> & {
  media?: TemplateMedia | undefined;
};

export interface PreviewInput {
  /** Values over the declared examples; keys may be dotted paths. */
  variables?: Record<string, unknown>;
  /** Render for this contact of the account (`contact.*`, language and zone). */
  contactId?: string;
}

export const templateNotFoundError = (): DomainError =>
  DomainError.notFound('Template', 'template_not_found');

/**
 * Reading and rendering templates, for the API and the worker. A render reads the template
 * (one small document) every time and the engine compiles per body hash, so a change made by
 * any process is used by the next render; a change made here also drops the old compiled form.
 */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly repository: TemplateRepository,
    private readonly engine: TemplateEngine,
    private readonly contacts: ContactsService,
  ) {}

  /** The template, or 404 `template_not_found`. */
  async get(scope: AccountScope, id: string): Promise<TemplateRecord> {
    if (!TEMPLATE_ID_PATTERN.test(id)) throw templateNotFoundError();
    const record = await this.repository.get(scope, id);
    if (!record) throw templateNotFoundError();
    return record;
  }

  /** For objects that name a template: 400 `template_not_found` when it is not in this account. */
  async assertUsable(scope: AccountScope, id: string): Promise<void> {
    const found = TEMPLATE_ID_PATTERN.test(id) && (await this.repository.get(scope, id));
    if (!found) {
      throw DomainError.invalid('template_not_found', `template ${id} not found in this account`, [
        { templateId: id },
      ]);
    }
  }

  /**
   * Renders a template for a real message: only the given variables count (examples are for
   * previews). Throws invalid `template_render_failed` when a variable is missing.
   */
  async render(scope: AccountScope, templateId: string, context: RenderContext): Promise<RenderedTemplate> {
    const record = await this.get(scope, templateId);
    const text = this.engine.render(record.body, {
      ...context,
      locale: context.locale ?? context.contact?.language ?? record.language,
    });
    return record.media ? { text, media: { ...record.media } } : { text };
  }

  /**
   * Renders with the declared examples, `variables` over them, and the contact when given.
   * Paths without a value are rendered as empty text and listed in `missingVariables`.
   */
  async preview(scope: AccountScope, id: string, input: PreviewInput): Promise<TemplatePreview> {
    return this.previewDraft(scope, await this.get(scope, id), input);
  }

  /**
   * As `preview`, for a body that is not saved (the console's live preview while editing):
   * nothing is read but the contact. The body must have passed the authoring check.
   */
  async previewDraft(
    scope: AccountScope,
    draft: TemplateDraft,
    input: PreviewInput,
  ): Promise<TemplatePreview> {
    const contact: TemplateContact | undefined = input.contactId
      ? await this.contacts.get(scope, input.contactId)
      : undefined;
    const data: Record<string, unknown> = {};
    const byLength = (names: string[]) => [...names].sort((a, b) => a.length - b.length);
    const examples = new Map(draft.variables.map((v) => [v.name, v.example]));
    for (const name of byLength([...examples.keys()]))
      setPath(data, name, structuredClone(examples.get(name)));
    const overrides = input.variables ?? {};
    for (const name of byLength(Object.keys(overrides))) {
      if (name !== 'contact' && !name.startsWith('contact.')) setPath(data, name, overrides[name]);
    }
    if (contact) data.contact = structuredClone(contact);

    const { paths } = this.engine.analyze(draft.body, null);
    const missing = paths.filter((p) => getPath(data, p) === undefined);
    for (const path of [...missing].sort((a, b) => b.length - a.length)) {
      if (getPath(data, path) === undefined) setPath(data, path, '');
    }
    let text: string;
    try {
      text = this.engine.render(draft.body, {
        variables: data,
        locale: contact?.language ?? draft.language,
        ...(contact ? { timeZone: contact.timeZone } : {}),
      });
    } catch (err) {
      if (err instanceof DomainError && missing.length) {
        const details = typeof err.details === 'object' && err.details !== null ? err.details : {};
        throw new DomainError(err.kind, err.code, err.message, { ...details, missingVariables: missing });
      }
      throw err;
    }
    const preview: TemplatePreview = { text };
    if (draft.media) preview.media = { ...draft.media };
    if (missing.length) preview.missingVariables = missing;
    return preview;
  }

  @OnEvent(TEMPLATE_CHANGED)
  onTemplateChanged(event: TemplateChangedEvent): void {
    this.engine.forget(event.previousBodyHash);
  }
}
