import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AccountsService } from '@wwb/accounts';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import type { TemplateWarning } from './template-analysis.policy';
import { TemplateEngine, templateInvalid } from './template-engine.service';
import { canonicalLanguage, checkMedia, checkVariables } from './template-fields.policy';
import { TemplateReferenceRepository } from './template-reference.repository';
import { isUniqueViolation, TemplatePatch, TemplateRepository } from './template.repository';
import { TemplateCategory, TemplateMedia, TemplateRecord, TemplateVariable } from './template.schema';
import { TEMPLATE_CHANGED, TemplateChangedEvent, TemplatesService } from './templates.service';

export interface CreateTemplateCommand {
  name: string;
  language: string;
  category: TemplateCategory;
  body: string;
  variables?: TemplateVariable[];
  media?: TemplateMedia;
}

/** Absent fields stay; `media: null` removes the media. */
export type UpdateTemplateCommand = Partial<Omit<CreateTemplateCommand, 'media'>> & {
  media?: TemplateMedia | null;
};

export interface SavedTemplate {
  template: TemplateRecord;
  warnings: TemplateWarning[];
}

export interface TemplatePage {
  data: TemplateRecord[];
  nextCursor: string | null;
}

const nameTaken = (name: string): DomainError =>
  DomainError.conflict('template_name_taken', `this account already has a template named "${name}"`);

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^tpl_[0-9A-Z]{26}$/.test(id)) {
    throw DomainError.invalid('invalid_cursor', 'cursor is not a cursor this endpoint returned');
  }
  return id;
}

/** Creating, changing, listing and deleting templates (the API side). */
@Injectable()
export class TemplateAuthoringService {
  constructor(
    private readonly repository: TemplateRepository,
    private readonly refs: TemplateReferenceRepository,
    private readonly templates: TemplatesService,
    private readonly engine: TemplateEngine,
    private readonly accounts: AccountsService,
    private readonly events: EventEmitter2,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /** What saving `body` with `variables` would say, without saving. */
  check(body: string, variables: TemplateVariable[]) {
    checkVariables(variables);
    return this.engine.analyze(
      body,
      variables.map((v) => v.name),
    );
  }

  async create(scope: AccountScope, command: CreateTemplateCommand): Promise<SavedTemplate> {
    const variables = command.variables ?? [];
    const language = canonicalLanguage(command.language);
    const media = command.media ? checkMedia(command.media) : undefined;
    const warnings = this.validBody(command.body, variables);
    // Checked before the plan slot is taken, so that a full plan does not hide the real problem;
    // the unique index still decides a race.
    if (await this.repository.nameTaken(scope, command.name.toLowerCase())) throw nameTaken(command.name);
    const id = this.ids.prefixed('tpl');
    const now = this.clock.now();
    const record: TemplateRecord = {
      _id: id,
      accountId: scope.accountId,
      name: command.name,
      nameKey: command.name.toLowerCase(),
      language,
      category: command.category,
      body: command.body,
      variables,
      revision: 1,
      createdAt: now,
      updatedAt: now,
    };
    if (media) record.media = media;
    await this.accounts.reserve(scope, 'templates', id);
    try {
      await this.repository.insert(record);
    } catch (err) {
      await this.accounts.release(scope, 'templates', id);
      if (isUniqueViolation(err)) throw nameTaken(command.name);
      throw err;
    }
    return { template: record, warnings };
  }

  async list(
    scope: AccountScope,
    opts: { cursor?: string; limit?: number; category?: string },
  ): Promise<TemplatePage> {
    const limit = opts.limit ?? 20;
    const afterId = opts.cursor !== undefined ? decodeCursor(opts.cursor) : undefined;
    const rows = await this.repository.list(scope, { afterId, limit: limit + 1, category: opts.category });
    const data = rows.slice(0, limit);
    return { data, nextCursor: rows.length > limit ? encodeCursor(data[data.length - 1]!._id) : null };
  }

  async update(scope: AccountScope, id: string, command: UpdateTemplateCommand): Promise<SavedTemplate> {
    const current = await this.templates.get(scope, id);
    const patch: TemplatePatch = { revision: current.revision + 1, updatedAt: this.clock.now() };
    if (command.name !== undefined) {
      const nameKey = command.name.toLowerCase();
      if (await this.repository.nameTaken(scope, nameKey, id)) throw nameTaken(command.name);
      Object.assign(patch, { name: command.name, nameKey });
    }
    if (command.language !== undefined) patch.language = canonicalLanguage(command.language);
    if (command.category !== undefined) patch.category = command.category;
    if (command.media !== undefined) patch.media = command.media === null ? null : checkMedia(command.media);
    const variables = command.variables ?? current.variables;
    const body = command.body ?? current.body;
    if (command.variables !== undefined) patch.variables = command.variables;
    if (command.body !== undefined) patch.body = command.body;
    const warnings = this.validBody(body, variables);
    let updated: TemplateRecord | null;
    try {
      updated = await this.repository.update(scope, id, patch);
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(command.name ?? current.name);
      throw err;
    }
    if (!updated) throw DomainError.notFound('Template', 'template_not_found');
    this.changed(current, 'updated', updated.revision);
    return { template: updated, warnings };
  }

  /** Refused with 409 `template_in_use` while a rule, bot or campaign uses the template. */
  async delete(scope: AccountScope, id: string): Promise<void> {
    const current = await this.templates.get(scope, id);
    // Mark first, then look for references: TemplateReferencesService.set inserts first, then
    // looks for the mark, so a reference added meanwhile is seen by one side or the other.
    await this.repository.markDeleting(scope, id, this.clock.now());
    try {
      const owners = await this.refs.ownersOf(scope, id);
      if (owners.length) {
        throw DomainError.conflict(
          'template_in_use',
          `the template is used by ${owners.map((o) => `${o.kind} ${o.id}`).join(', ')}; change or delete them first`,
          owners,
        );
      }
      if (!(await this.repository.delete(scope, id)))
        throw DomainError.notFound('Template', 'template_not_found');
    } finally {
      await this.repository.unmarkDeleting(scope, id);
    }
    await this.accounts.release(scope, 'templates', id);
    this.changed(current, 'deleted', current.revision);
  }

  private validBody(body: string, variables: TemplateVariable[]): TemplateWarning[] {
    const { problems, warnings } = this.check(body, variables);
    if (problems.length) throw templateInvalid(problems);
    return warnings;
  }

  private changed(before: TemplateRecord, change: TemplateChangedEvent['change'], revision: number): void {
    const event: TemplateChangedEvent = {
      accountId: before.accountId,
      templateId: before._id,
      change,
      revision,
      previousBodyHash: TemplateEngine.hashOf(before.body),
    };
    this.events.emit(TEMPLATE_CHANGED, event);
  }
}
