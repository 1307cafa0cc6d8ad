import pino from 'pino';
import type { AppConfig } from '@wwb/config';
import type { ContactsService, ContactView, OptOutPolicy } from '@wwb/contacts';
import type { TypedEvent } from '@wwb/contracts';
import type { FaqBotsService } from '@wwb/faq-bots';
import type { SendMessageCommand, SendMessageUseCase } from '@wwb/messaging';
import type { AppLogger } from '@wwb/observability';
import type { AccountScope } from '@wwb/persistence';
import { TemplateEngine, TemplatesService } from '@wwb/templates';
import { compileRule, CompiledRule, Rule, RulesService } from '../rules';
import { AutomationEventsProducer } from './automation-events.producer';
import { AutomationReplyService } from './automation-reply.service';
import { PendingEvent } from './automation-turn.model';
import { ChatGuardPolicy } from './chat-guard.policy';
import { ChatHandoffService } from './chat-handoff.service';
import { ChatStateRecord } from './chat-state.schema';
import { ChatStateStore } from './chat-state.store';
import { FaqAnswerService } from './faq-answer.service';
import { HttpActionClient } from './http-action.client';
import { InboundAutomationService } from './inbound-automation.service';
import { RuleActionsRunner } from './rule-actions.runner';
import { ManualClock } from '@wwb/testing';

const PEER = '15557654321@c.us';
let seq = 0;

function inbound(body: string, over: Partial<TypedEvent<'message.received'>['data']> = {}) {
  const id = `ev_${++seq}`;
  return {
    id,
    type: 'message.received',
    version: 1,
    occurredAt: '2026-12-01T10:00:00.000Z',
    accountId: 'acc_1',
    connectionId: 'con_1',
    chatId: over.chatId ?? PEER,
    data: {
      waMessageId: `false_${PEER}_${id}`,
      chatId: PEER,
      from: PEER,
      to: '15551234567@c.us',
      fromMe: false,
      type: 'text',
      rawType: 'chat',
      body,
      timestamp: '2026-12-01T10:00:00.000Z',
      hasMedia: false,
      mentions: [],
      vCards: [],
      isForwarded: false,
      ...over,
    },
  } as TypedEvent<'message.received'>;
}

function rule(id: string, over: Partial<Rule>): CompiledRule {
  return compileRule({
    id,
    accountId: 'acc_1',
    name: id,
    priority: 0,
    enabled: true,
    stopOnMatch: true,
    connectionIds: [],
    conditions: { mode: 'all', items: [] },
    actions: [{ type: 'reply', text: `reply of ${id}` }],
    cooldownSeconds: 0,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...over,
  });
}

/** The pipeline with its storage, Kafka and the send use case replaced by memory. */
function harness(opts: { rules?: CompiledRule[]; maxReplies?: number } = {}) {
  const clock = new ManualClock();
  const config = {
    automation: {
      maxRepliesPerChat: opts.maxReplies ?? 5,
      humanPauseMinutes: 30,
      optOutConfirmation: 'Unsubscribed.',
      optInConfirmation: 'Welcome back.',
    },
  } as unknown as AppConfig;
  const logger = { child: () => pino({ enabled: false }) } as unknown as AppLogger;
  const states = new Map<string, ChatStateRecord>();
  const store = {
    get: async (scope: AccountScope, chat: { connectionId: string; chatId: string }) =>
      structuredClone(states.get(`${scope.accountId}/${chat.connectionId}/${chat.chatId}`) ?? null),
    save: async (r: ChatStateRecord) => void states.set(r._id, structuredClone(r)),
  } as unknown as ChatStateStore;
  const published: PendingEvent[] = [];
  const producer = {
    publish: async (_s: unknown, _c: unknown, events: PendingEvent[]) => void published.push(...events),
  } as unknown as AutomationEventsProducer;
  const sends: SendMessageCommand[] = [];
  const byKey = new Map<string, string>();
  const sending = {
    execute: async (_s: AccountScope, command: SendMessageCommand) => {
      sends.push(command);
      const existing = byKey.get(command.idempotencyKey!);
      const id = existing ?? `msg_${byKey.size + 1}`;
      byKey.set(command.idempotencyKey!, id);
      return { id, status: 'queued', replayed: !!existing };
    },
  } as unknown as SendMessageUseCase;
  let contact: ContactView = {
    id: 'ctc_1',
    phone: '+15557654321',
    name: null,
    pushName: null,
    tags: [],
    attributes: {},
    timeZone: 'UTC',
    language: null,
    optOut: { optedOut: false, at: null, reason: null, source: null },
    lastInboundAt: null,
    createdAt: '',
    updatedAt: '',
  };
  const contacts = {
    recordInbound: async () => contact,
    setOptOut: async (_s: AccountScope, _id: string, c: { optedOut: boolean; reason: string }) => {
      contact = {
        ...contact,
        optOut: { optedOut: c.optedOut, at: 'now', reason: c.reason, source: 'keyword' },
      };
      return contact;
    },
  } as unknown as ContactsService;
  const optOut = {
    classify: (t: string) =>
      t.trim().toUpperCase() === 'STOP' ? 'opt_out' : t.trim().toUpperCase() === 'START' ? 'opt_in' : null,
  } as unknown as OptOutPolicy;
  const rules = { activeRules: async () => opts.rules ?? [rule('r1', {})] } as unknown as RulesService;
  const bots = { botsServing: async () => [] } as unknown as FaqBotsService;

  const guards = new ChatGuardPolicy(config);
  const replies = new AutomationReplyService(
    sending,
    {} as TemplatesService,
    new TemplateEngine(),
    guards,
    logger,
  );
  const handoffs = new ChatHandoffService(guards, store, producer, clock, config);
  const faq = new FaqAnswerService(bots, replies, guards, handoffs);
  const http = {} as HttpActionClient;
  const runner = new RuleActionsRunner(contacts, bots, replies, faq, http, handoffs, guards, logger);
  const service = new InboundAutomationService(
    contacts,
    optOut,
    rules,
    bots,
    runner,
    faq,
    replies,
    handoffs,
    guards,
    store,
    producer,
    clock,
    config,
    logger,
  );
  return { service, handoffs, clock, sends, published, states, producer };
}

describe('InboundAutomationService', () => {
  it('answers with the rule, keyed by event, rule and action: a redelivery sends nothing new', async () => {
    const h = harness();
    const e = inbound('hello');
    await h.service.onInbound(e);
    expect(h.sends).toHaveLength(1);
    expect(h.sends[0]).toMatchObject({
      connectionId: 'con_1',
      message: { to: PEER, type: 'text', text: 'reply of r1' },
      idempotencyKey: `auto:${e.id}:r1:0`,
      origin: { source: 'auto_reply', ruleId: 'r1', triggerEventId: e.id },
    });
    expect(h.published.map((p) => p.type)).toEqual(['automation.rule.matched', 'automation.reply.sent']);

    await h.service.onInbound(e); // the state remembers the event: skipped outright
    expect(h.sends).toHaveLength(1);
  });

  it('a crash before the state was saved replays the turn under the same keys (the send use case dedupes)', async () => {
    const h = harness();
    const e = inbound('hello');
    const publish = h.producer.publish.bind(h.producer);
    h.producer.publish = async () => {
      throw new Error('kafka down');
    };
    await expect(h.service.onInbound(e)).rejects.toThrow('kafka down');
    h.producer.publish = publish;
    h.clock.advance(5_000);
    await h.service.onInbound(e);
    expect(h.sends.map((c) => c.idempotencyKey)).toEqual([`auto:${e.id}:r1:0`, `auto:${e.id}:r1:0`]);
  });

  it('ignores our own messages and status broadcasts; skips groups unless a rule names them', async () => {
    const h = harness();
    await h.service.onInbound(inbound('hi', { fromMe: true }));
    await h.service.onInbound(inbound('hi', { chatId: 'status@broadcast' }));
    await h.service.onInbound(inbound('hi', { chatId: '120363@g.us', author: '15550001111@c.us' }));
    expect(h.sends).toHaveLength(0);
    expect(h.states.size).toBe(1); // the group chat's state, nothing else
  });

  it('STOP opts out with a confirmation; nothing automated follows until START', async () => {
    const h = harness();
    await h.service.onInbound(inbound('stop'));
    expect(h.sends.map((c) => [c.message.text, c.origin?.source])).toEqual([['Unsubscribed.', 'opt_out']]);
    expect(h.published.map((p) => p.type)).toEqual(['contact.opted_out', 'automation.reply.sent']);
    await h.service.onInbound(inbound('hello'));
    expect(h.sends).toHaveLength(1);
    await h.service.onInbound(inbound('START'));
    await h.service.onInbound(inbound('hello'));
    expect(h.sends.map((c) => c.message.text)).toEqual(['Unsubscribed.', 'Welcome back.', 'reply of r1']);
  });

  it('loop breaker: stops at the cap, publishes once, answers again when the window has room', async () => {
    const h = harness({ maxReplies: 2 });
    for (let i = 0; i < 4; i++) await h.service.onInbound(inbound(`m${i}`));
    expect(h.sends).toHaveLength(2);
    expect(h.published.filter((p) => p.type === 'automation.loop_breaker.tripped')).toHaveLength(1);
    h.clock.advance(10 * 60_000 + 1);
    await h.service.onInbound(inbound('again'));
    expect(h.sends).toHaveLength(3);
  });

  it('cooldown per contact per rule; a cooling rule still ends the evaluation (stopOnMatch)', async () => {
    const h = harness({ rules: [rule('cool', { cooldownSeconds: 60 }), rule('later', { priority: 5 })] });
    await h.service.onInbound(inbound('a'));
    await h.service.onInbound(inbound('b'));
    expect(h.sends.map((c) => c.message.text)).toEqual(['reply of cool']);
    h.clock.advance(60_000);
    await h.service.onInbound(inbound('c'));
    expect(h.sends.map((c) => c.message.text)).toEqual(['reply of cool', 'reply of cool']);
  });

  it('a human reply pauses the chat; our own replies do not; the end of the pause is announced', async () => {
    const h = harness();
    await h.service.onInbound(inbound('hello'));
    const sent = (origin?: { source: 'auto_reply' | 'api' }, messageId?: string) =>
      ({
        ...inbound('x'),
        id: `ev_out_${++seq}`,
        type: 'message.sent',
        data: {
          ...inbound('x').data,
          fromMe: true,
          ...(origin ? { origin } : {}),
          ...(messageId ? { messageId } : {}),
        },
      }) as unknown as TypedEvent<'message.sent'>;
    await h.handoffs.onOutbound(sent({ source: 'auto_reply' }));
    await h.handoffs.onOutbound(sent(undefined, 'msg_1')); // no origin, but it is our reply's id
    await h.service.onInbound(inbound('still automated'));
    expect(h.sends).toHaveLength(2);

    await h.handoffs.onOutbound(sent({ source: 'api' }));
    expect(h.published.filter((p) => p.type === 'automation.handoff.started')).toHaveLength(1);
    await h.service.onInbound(inbound('paused'));
    expect(h.sends).toHaveLength(2);
    h.clock.advance(30 * 60_000);
    await h.service.onInbound(inbound('back'));
    expect(h.sends).toHaveLength(3);
    expect(h.published.filter((p) => p.type === 'automation.handoff.ended')).toHaveLength(1);
  });
});
