/*
 * What bench/automation.bench.ts loads into its account: 200 auto-reply rules of which one answers
 * the "rule" stream late in the priority order, a 1,000-entry FAQ bot that answers the "FAQ"
 * stream, and the texts of both streams. The vocabularies are disjoint: no FAQ text matches a rule.
 */

/** Priority of the rule that answers the rule stream: this many rules are evaluated before it. */
export const MATCH_POSITION = 190;
export const FALLBACK_ANSWER = 'Sorry, I do not know that one yet. A colleague will get back to you.';
export const RULE_REPLY = 'Hi {{default contact.name "there"}}, your order is on its way: example.com/track';

const reply = (text: string) => [{ type: 'reply', text }];
const TOPICS = ['voucher', 'invoice', 'warranty', 'catalog', 'appointment', 'membership', 'booking'];

const HOURS = {
  timeZone: 'Europe/Berlin',
  weekly: {
    mon: [{ from: '09:00', to: '18:00' }],
    tue: [{ from: '09:00', to: '18:00' }],
    wed: [
      { from: '09:00', to: '12:30' },
      { from: '13:30', to: '18:00' },
    ],
    thu: [{ from: '09:00', to: '18:00' }],
    fri: [{ from: '09:00', to: '16:00' }],
    sat: [{ from: '10:00', to: '14:00' }],
  },
  holidays: ['2025-12-25', '2025-12-26', '2026-01-01', '2026-04-03', '2026-12-25'],
};

/** One of the rules that do not match the bench's texts, by its position (a realistic mix). */
function otherRule(i: number): Record<string, unknown> {
  const topic = TOPICS[i % TOPICS.length]!;
  const code = `${topic.slice(0, 2)}${i}`;
  const text = (op: string, value: string | string[]) =>
    Array.isArray(value) ? { type: 'text', op, values: value } : { type: 'text', op, value };
  let items: Record<string, unknown>[];
  let mode = 'all';
  if (i % 25 === 0) {
    // the hours are read first (and compiled time-zone maths run) whatever they say
    items = [
      { type: 'businessHours', inside: i % 50 === 0, hours: HOURS },
      text('keywords', `${topic} ${code}`),
    ];
  } else if (i % 20 === 0) {
    mode = 'any';
    items = [
      { type: 'contactTag', op: 'hasAny', tags: ['vip', `tier-${i}`] },
      text('keywords', [code, `${topic} ${code}`]),
    ];
  } else if (i % 15 === 0) {
    items = [{ type: 'firstMessage' }, text('contains', `campaign-${code}`)];
  } else if (i % 12 === 0) {
    items = [{ type: 'messageType', in: ['image', 'document'] }, text('keywords', topic)];
  } else {
    switch (i % 6) {
      case 0:
        items = [text('keywords', [`${topic} ${code}`, `${code} ${topic}`, `cancel ${code}`])];
        break;
      case 1:
        items = [text('contains', [`promo-${code}`, `ref#${1000 + i}`])];
        break;
      case 2:
        items = [text('regex', `\\b(?:sku|item)[-\\s]?${i}[a-z]{2}\\d{3}\\b`)];
        break;
      case 3:
        items = [text('startsWith', [`#${code}`, `!${code}`])];
        break;
      case 4:
        items = [text('regex', `^(?:track|trace)\\s+(?:parcel|package)\\s+${code}-\\d{4,8}$`)];
        break;
      default:
        mode = 'any';
        items = [text('equals', `${topic} ${code} please`), text('endsWith', ` ${code}!`)];
    }
  }
  return {
    name: `${topic} rule ${i}`,
    priority: i * 10,
    stopOnMatch: true,
    conditions: { mode, items },
    actions: reply(`About your ${topic} (${code}): see example.com/${topic}`),
  };
}

/** 200 rules (or `count`): every one but MATCH_POSITION's fails on the bench's texts. */
export function benchRules(count = 200): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    if (i !== MATCH_POSITION) return otherRule(i);
    return {
      name: 'Order status',
      priority: i * 10,
      stopOnMatch: true,
      conditions: {
        mode: 'all',
        items: [
          { type: 'chatType', in: ['direct'] },
          { type: 'text', op: 'keywords', values: ['order status', 'where is my order', 'track my order'] },
        ],
      },
      actions: reply(RULE_REPLY),
    };
  });
}

const SUBJECTS = [
  'the premium plan',
  'express shipping',
  'gift cards',
  'the loyalty program',
  'student discounts',
  'international delivery',
  'the mobile app',
  'two factor authentication',
  'the spring collection',
  'bulk purchases',
  'corporate accounts',
  'the newsletter',
  'store pickup',
  'installation service',
  'extended warranty',
  'price matching',
  'paper receipts',
  'spare parts',
  'the referral bonus',
  'eco packaging',
  'weekend opening hours',
  'the outlet store',
  'custom engraving',
  'rental equipment',
  'repair service',
  'size exchanges',
  'the kids range',
  'pet products',
  'seasonal sales',
  'the business plan',
  'wholesale pricing',
  'personal shopping',
  'delivery slots',
  'click and collect',
  'payment by instalments',
  'cash on delivery',
  'the recycling scheme',
  'gift wrapping',
  'the membership card',
  'accessibility services',
];

/** Question forms: each entry gets three variants of one aspect. */
const ASPECTS: ((s: string) => string[])[] = [
  (s) => [`How much does ${s} cost?`, `What is the price of ${s}?`, `Is ${s} expensive?`],
  (s) => [`How do I sign up for ${s}?`, `Can I register for ${s} online?`, `Where do I apply for ${s}?`],
  (s) => [`Can I cancel ${s}?`, `How do I stop ${s}?`, `I want to terminate ${s}`],
  (s) => [`Is ${s} available in my country?`, `Do you offer ${s} abroad?`, `Which countries have ${s}?`],
  (s) => [`How long does ${s} take?`, `When will ${s} be ready?`, `What is the waiting time for ${s}?`],
  (s) => [
    `Who do I contact about ${s}?`,
    `Is there a phone number for ${s}?`,
    `Can someone help me with ${s}?`,
  ],
  (s) => [`What are the conditions of ${s}?`, `Are there terms for ${s}?`, `Which rules apply to ${s}?`],
  (s) => [
    `Can I pay ${s} by card?`,
    `Which payment methods work for ${s}?`,
    `Do you accept PayPal for ${s}?`,
  ],
  (s) => [`Is ${s} included for free?`, `Do I get ${s} without charge?`, `Is ${s} free of charge?`],
  (s) => [`How do I change ${s}?`, `Can I modify ${s} later?`, `I need to update ${s}`],
  (s) => [`Is ${s} safe?`, `How secure is ${s}?`, `Is my data protected with ${s}?`],
  (s) => [`Can I give ${s} as a present?`, `Can I transfer ${s} to a friend?`, `Can someone else use ${s}?`],
  (s) => [`What happens if ${s} fails?`, `What if ${s} does not work?`, `${s} is broken, what now?`],
  (s) => [`Do you have a discount on ${s}?`, `Any coupon for ${s}?`, `Is ${s} on sale this month?`],
  (s) => [`Where can I read about ${s}?`, `Is there a guide for ${s}?`, `Do you have instructions for ${s}?`],
  (s) => [`Can children use ${s}?`, `Is there an age limit for ${s}?`, `Is ${s} suitable for kids?`],
  (s) => [`Does ${s} work on weekends?`, `Is ${s} open on Sunday?`, `Can I use ${s} on holidays?`],
  (s) => [`How do I get a refund for ${s}?`, `Can I return ${s}?`, `Money back for ${s}?`],
  (s) => [`Is ${s} eco friendly?`, `Is ${s} sustainable?`, `What is the carbon footprint of ${s}?`],
  (s) => [`Can I try ${s} first?`, `Is there a trial of ${s}?`, `Do you have a demo of ${s}?`],
  (s) => [`Does ${s} need an account?`, `Do I have to log in for ${s}?`, `Can guests use ${s}?`],
  (s) => [`How many times can I use ${s}?`, `Is there a limit on ${s}?`, `What is the maximum for ${s}?`],
  (s) => [`Will ${s} change next year?`, `Are there plans to update ${s}?`, `Is ${s} being discontinued?`],
  (s) => [
    `Can I combine ${s} with other offers?`,
    `Does ${s} stack with discounts?`,
    `Can I mix ${s} and coupons?`,
  ],
  (s) => [`Why was ${s} declined?`, `${s} got rejected, why?`, `What are the reasons ${s} is refused?`],
];

export interface FaqEntryBody {
  id: string;
  questions: string[];
  keywords: string[];
  answer: { text: string };
}

/** 1,000 entries (25 question forms x 40 subjects), three variants each. */
export function benchFaqEntries(count = 1000): FaqEntryBody[] {
  const entries: FaqEntryBody[] = [];
  for (let k = 0; k < count; k++) {
    const subject = SUBJECTS[k % SUBJECTS.length]!;
    const aspect = ASPECTS[Math.floor(k / SUBJECTS.length) % ASPECTS.length]!;
    entries.push({
      id: `e${k}`,
      questions: aspect(subject),
      keywords: [subject.replace(/^the /, '')],
      answer: { text: `Answer ${k}: everything about ${subject}, see example.com/faq/${k}` },
    });
  }
  return entries;
}

/** The text of rule-stream message `n` (matched by the MATCH_POSITION rule only). */
export const ruleText = (n: number): string =>
  [`Hi, where is my order ${100000 + n}?`, `order status please, ref ${n}`, `Can you track my order? (${n})`][
    n % 3
  ]!;

/** The text of FAQ-stream message `n`: a variant of entry n mod 1000 with a greeting around it. */
export function faqText(entries: FaqEntryBody[], n: number): string {
  const entry = entries[n % entries.length]!;
  const q = entry.questions[n % entry.questions.length]!;
  return [`Hello! ${q}`, `${q} Thanks`, `hi, ${q.toLowerCase()}`][n % 3]!;
}
