import { Injectable } from '@nestjs/common';
import { AccountsService } from '@wwb/accounts';
import { ConnectionsService } from '@wwb/connections';
import { AppError } from '@wwb/http';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator, isDomainError } from '@wwb/runtime';
import { TemplateReferencesService, TemplatesService } from '@wwb/templates';
import {
  canonicalLanguage,
  checkEntries,
  checkEntry,
  checkEntryId,
  checkHandoffAfterMisses,
  checkThreshold,
  DEFAULT_HANDOFF_AFTER_MISSES,
  DEFAULT_THRESHOLD,
  FaqBotInput,
  FaqEntryInput,
  FaqReach,
  MAX_ENTRIES,
  outsideReach,
  templateIdsOf,
  withinReach,
} from './faq-bot.policy';
import { entryDocId, FaqBotRepository, FaqBotSettings } from './faq-bot.repository';
import { FaqBotRecord, FaqEntryRecord } from './faq-bot.schema';
import { FaqBotDetail, FaqBotView, FaqEntryView, toBotView, toEntryView } from './faq-bot.mapper';
import { FAQ_BOT_ID_PATTERN, FaqBotsService } from './faq-bots.service';
import { FaqEntryData } from './faq-matching.policy';
import { FaqOutcomeRepository } from './faq-outcome.repository';
import { FaqIndexStore } from './faq-index.store';
import { FaqServingStore } from './faq-serving.store';

export type FaqBotSummary = FaqBotView & { entryCount: number };

const entryNotFound = (): DomainError => DomainError.notFound('FAQ entry');
const owner = (botId: string) => ({ kind: 'faq_bot' as const, id: botId });

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): string | undefined => {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return FAQ_BOT_ID_PATTERN.test(id) ? id : undefined;
};

/**
 * Creating and changing FAQ bots and their entries (the /v1/faq-bots endpoints). Every change of
 * the entries is written first and then marks a new revision, which every process checks before
 * it uses its cached index. Templates named by answers must exist, and are registered as used by
 * the bot (before the write, so a template cannot be deleted in between; trimmed to the exact
 * list after it).
 */
@Injectable()
export class FaqBotEditorService {
  constructor(
    private readonly repository: FaqBotRepository,
    private readonly outcomes: FaqOutcomeRepository,
    private readonly faqBots: FaqBotsService,
    private readonly indexes: FaqIndexStore,
    private readonly serving: FaqServingStore,
    private readonly accounts: AccountsService,
    private readonly connections: ConnectionsService,
    private readonly templates: TemplatesService,
    private readonly references: TemplateReferencesService,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async create(
    scope: AccountScope,
    input: FaqBotInput & { name: string },
    reach?: FaqReach,
  ): Promise<FaqBotDetail> {
    const settings = await this.settingsOf(scope, input, null, reach);
    const entries = checkEntries(input.entries ?? [], () => this.ids.prefixed('fqe'));
    await this.checkTemplates(scope, entries);
    const id = this.ids.prefixed('faq');
    await this.accounts.reserve(scope, 'faqBots', id);
    const bot: FaqBotRecord = {
      _id: id,
      accountId: scope.accountId,
      createdAt: settings.updatedAt,
      ...settings,
    };
    try {
      await this.references.set(scope, owner(id), templateIdsOf(entries));
      await this.repository.insert(bot, this.records(scope, id, entries, 0));
    } catch (err) {
      await this.repository.delete(scope, id).catch(() => undefined);
      await this.references.clear(scope, owner(id)).catch(() => undefined);
      await this.accounts.release(scope, 'faqBots', id);
      throw err;
    }
    this.serving.forget(scope.accountId);
    return { ...toBotView(bot), entries: entries.map(toEntryView) };
  }

  async list(
    scope: AccountScope,
    opts: { cursor?: string; limit?: number },
    reach?: FaqReach,
  ): Promise<{ data: FaqBotSummary[]; nextCursor: string | null }> {
    const limit = opts.limit ?? 20;
    let afterId: string | undefined;
    if (opts.cursor !== undefined) {
      afterId = decodeCursor(opts.cursor);
      if (!afterId) {
        throw new AppError(400, 'validation_failed', 'Request validation failed', [
          { field: 'cursor', messages: ['cursor is not a valid cursor'] },
        ]);
      }
    }
    const rows = await this.repository.list(scope, { afterId, limit: limit + 1 });
    const page = rows.slice(0, limit);
    // Bots outside a restricted key's connections are left out (a page may come out shorter).
    const visible = page.filter((b) => withinReach(b.connectionIds, reach));
    const counts = await this.repository.entryCounts(
      scope,
      visible.map((b) => b._id),
    );
    return {
      data: visible.map((b) => ({ ...toBotView(b), entryCount: counts.get(b._id) ?? 0 })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!._id) : null,
    };
  }

  async get(scope: AccountScope, id: string, reach?: FaqReach): Promise<FaqBotDetail> {
    const bot = await this.faqBots.getRecord(scope, id, reach);
    const entries = await this.repository.entriesOf(scope, id);
    return { ...toBotView(bot), entries: entries.map(toEntryView) };
  }

  /** PUT (`replace`: absent fields take their defaults) or PATCH (absent fields unchanged). */
  async update(
    scope: AccountScope,
    id: string,
    input: FaqBotInput,
    replace: boolean,
    reach?: FaqReach,
  ): Promise<FaqBotDetail> {
    const current = await this.faqBots.getRecord(scope, id, reach);
    const settings = await this.settingsOf(scope, input, replace ? null : current, reach);
    const list = input.entries ?? (replace ? [] : undefined);
    if (list !== undefined) {
      const entries = checkEntries(list, () => this.ids.prefixed('fqe'));
      await this.checkTemplates(scope, entries);
      const before = await this.repository.templateIdsOf(scope, id);
      await this.references.set(scope, owner(id), [...new Set([...before, ...templateIdsOf(entries)])]);
      await this.repository.replaceEntries(scope, id, this.records(scope, id, entries, 0));
      await this.repository.bumpRevision(scope, id);
      await this.references.set(scope, owner(id), templateIdsOf(entries));
    }
    if (!(await this.repository.replaceSettings(scope, id, settings))) throw DomainError.notFound('FAQ bot');
    this.indexes.forget(id);
    this.serving.forget(scope.accountId);
    return this.get(scope, current._id, reach);
  }

  async delete(scope: AccountScope, id: string, reach?: FaqReach): Promise<void> {
    await this.faqBots.getRecord(scope, id, reach);
    if (!(await this.repository.delete(scope, id))) throw DomainError.notFound('FAQ bot');
    this.indexes.forget(id);
    this.serving.forget(scope.accountId);
    await this.outcomes.deleteForBot(scope, id);
    await this.references.clear(scope, owner(id));
    await this.accounts.release(scope, 'faqBots', id);
  }

  async addEntry(
    scope: AccountScope,
    botId: string,
    input: FaqEntryInput,
    reach?: FaqReach,
  ): Promise<FaqEntryView> {
    await this.faqBots.getRecord(scope, botId, reach);
    const entryId = checkEntryId(input.id ?? this.ids.prefixed('fqe'));
    const entry = checkEntry(input, entryId, entryId);
    await this.checkTemplates(scope, [entry]);
    if ((await this.repository.countEntries(scope, botId)) >= MAX_ENTRIES) {
      throw DomainError.invalid('too_many_entries', `A bot has at most ${MAX_ENTRIES} entries`, {
        max: MAX_ENTRIES,
      });
    }
    if (await this.repository.entry(scope, botId, entryId)) {
      throw DomainError.conflict('entry_exists', `The bot already has an entry "${entryId}"`, { entryId });
    }
    const position = (await this.repository.lastPosition(scope, botId)) + 1;
    await this.changeEntries(scope, botId, entry, () =>
      this.repository.insertEntry(this.records(scope, botId, [entry], position)[0]!),
    );
    return toEntryView(entry);
  }

  async updateEntry(
    scope: AccountScope,
    botId: string,
    entryId: string,
    patch: FaqEntryInput,
    reach?: FaqReach,
  ): Promise<FaqEntryView> {
    await this.faqBots.getRecord(scope, botId, reach);
    const current = await this.repository.entry(scope, botId, entryId);
    if (!current) throw entryNotFound();
    const entry = checkEntry(
      {
        questions: patch.questions ?? current.questions,
        keywords: patch.keywords ?? current.keywords,
        answer: patch.answer ?? current.answer,
      },
      entryId,
      entryId,
    );
    await this.checkTemplates(scope, [entry]);
    await this.changeEntries(scope, botId, entry, async () => {
      const record = this.records(scope, botId, [entry], current.position)[0]!;
      if (!(await this.repository.replaceEntry(scope, record))) throw entryNotFound();
    });
    return toEntryView(entry);
  }

  async deleteEntry(scope: AccountScope, botId: string, entryId: string, reach?: FaqReach): Promise<void> {
    await this.faqBots.getRecord(scope, botId, reach);
    if (!(await this.repository.deleteEntry(scope, botId, entryId))) throw entryNotFound();
    await this.repository.bumpRevision(scope, botId);
    this.indexes.forget(botId);
    this.serving.forget(scope.accountId);
    await this.references.set(scope, owner(botId), await this.repository.templateIdsOf(scope, botId));
  }

  /** One entry written between two updates of the bot's template references, then a new revision. */
  private async changeEntries(
    scope: AccountScope,
    botId: string,
    entry: FaqEntryData,
    write: () => Promise<void>,
  ): Promise<void> {
    const before = await this.repository.templateIdsOf(scope, botId);
    if (entry.answer.templateId && !before.includes(entry.answer.templateId)) {
      await this.references.set(scope, owner(botId), [...before, entry.answer.templateId]);
    }
    await write();
    await this.repository.bumpRevision(scope, botId);
    this.indexes.forget(botId);
    this.serving.forget(scope.accountId);
    await this.references.set(scope, owner(botId), await this.repository.templateIdsOf(scope, botId));
  }

  private async settingsOf(
    scope: AccountScope,
    input: FaqBotInput,
    base: FaqBotRecord | null,
    reach: FaqReach,
  ): Promise<FaqBotSettings> {
    const name = input.name ?? base?.name;
    if (!name?.trim()) throw DomainError.invalid('invalid_name', 'name must not be blank');
    // Before the connections are looked up: a restricted key learns nothing about the others.
    const connectionIds = [...new Set(input.connectionIds ?? base?.connectionIds ?? [])];
    if (!withinReach(connectionIds, reach)) throw outsideReach();
    return {
      name: name.trim(),
      language: canonicalLanguage(input.language ?? base?.language ?? 'en'),
      threshold: checkThreshold(input.threshold ?? base?.threshold ?? DEFAULT_THRESHOLD),
      fallbackAnswer:
        input.fallbackAnswer !== undefined
          ? input.fallbackAnswer?.trim() || null
          : (base?.fallbackAnswer ?? null),
      handoffAfterMisses: checkHandoffAfterMisses(
        input.handoffAfterMisses ?? base?.handoffAfterMisses ?? DEFAULT_HANDOFF_AFTER_MISSES,
      ),
      connectionIds:
        input.connectionIds !== undefined ? await this.checkConnections(scope, connectionIds) : connectionIds,
      mode: input.mode ?? base?.mode ?? 'fallback',
      enabled: input.enabled ?? base?.enabled ?? true,
      updatedAt: this.clock.now(),
    };
  }

  private async checkConnections(scope: AccountScope, ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const unknown: string[] = [];
    for (const id of unique) {
      try {
        await this.connections.get(scope, id);
      } catch (err) {
        const notFound =
          (err instanceof AppError && err.status === 404) || (isDomainError(err) && err.kind === 'not_found');
        if (!notFound) throw err;
        unknown.push(id);
      }
    }
    if (unknown.length) {
      throw DomainError.invalid('unknown_connection', 'Some connections do not exist in this account', {
        connectionIds: unknown,
      });
    }
    return unique;
  }

  /** Every template an answer names must exist (400 template_not_found). */
  private async checkTemplates(scope: AccountScope, entries: FaqEntryData[]): Promise<void> {
    for (const templateId of templateIdsOf(entries)) await this.templates.assertUsable(scope, templateId);
  }

  private records(
    scope: AccountScope,
    botId: string,
    entries: FaqEntryData[],
    first: number,
  ): FaqEntryRecord[] {
    const now = this.clock.now();
    return entries.map((e, i) => ({
      _id: entryDocId(botId, e.id),
      accountId: scope.accountId,
      botId,
      entryId: e.id,
      position: first + i,
      questions: e.questions,
      keywords: e.keywords,
      answer: e.answer,
      updatedAt: now,
    }));
  }
}
