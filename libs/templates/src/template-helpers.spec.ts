import { DomainError } from '@wwb/runtime';
import { TemplateEngine } from './template-engine.service';
import type { RenderContext } from './render-context';

/** Intl puts (narrow) no-break spaces in times and amounts; compare with plain spaces. */
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

describe('template helpers', () => {
  const engine = new TemplateEngine();
  const render = (body: string, variables: Record<string, unknown> = {}, ctx: Partial<RenderContext> = {}) =>
    plain(engine.render(body, { variables, ...ctx }));

  it('default, upper (locale-aware), lower', () => {
    expect(render('{{default name "friend"}}|{{default name "friend"}}', { name: '' })).toBe('friend|friend');
    expect(render('{{default name "friend"}}', { name: 'Ana' })).toBe('Ana');
    expect(render('{{upper s}} {{lower t}}', { s: 'straße', t: 'ÉTÉ' })).toBe('STRASSE été');
    expect(render('{{upper s}}', { s: 'istanbul' }, { locale: 'tr' })).toBe('İSTANBUL');
  });

  it('truncate counts graphemes and keeps the suffix within the length', () => {
    expect(render('{{truncate s 8}}', { s: 'Hello wonderful world' })).toBe('Hello w…');
    expect(render('{{truncate s 8 "..."}}', { s: 'Hello wonderful world' })).toBe('Hello...');
    expect(render('{{truncate s length=5 suffix=""}}', { s: 'Hello wonderful' })).toBe('Hello');
    expect(render('{{truncate s 3}}', { s: 'abc' })).toBe('abc');
    expect(render('{{truncate s 3 ""}}', { s: '👍🏽👨‍👩‍👧é' + 'x' })).toBe('👍🏽👨‍👩‍👧é');
  });

  it("formatDate uses the contact's zone and language, across a DST change", () => {
    const contact = {
      id: 'ctc_1',
      phone: '+12125550100',
      name: null,
      tags: [],
      attributes: {},
      timeZone: 'America/New_York',
      language: 'en-US',
    };
    // 2026-03-08: New York moves from EST (UTC-5) to EDT (UTC-4) at 02:00 local.
    const body =
      '{{formatDate before format="datetime" style="short"}} / {{formatDate after format="time" style="short"}}';
    expect(render(body, { before: '2026-03-08T06:30:00Z', after: '2026-03-08T07:30:00Z' }, { contact })).toBe(
      '3/8/26, 1:30 AM / 3:30 AM',
    );
    expect(
      render('{{formatDate at format="time" style="long"}}', { at: '2026-03-08T07:30:00Z' }, { contact }),
    ).toBe('3:30:00 AM EDT');
    // Berlin switches on 2026-03-29 at 01:00 UTC; hash arguments override zone and language.
    const berlin = '{{formatDate at format="time" timeZone="Europe/Berlin" locale="de-DE"}}';
    expect(render(berlin, { at: '2026-03-29T00:30:00Z' }, { contact })).toBe('01:30:00');
    expect(render(berlin, { at: '2026-03-29T01:30:00Z' }, { contact })).toBe('03:30:00');
    expect(render('{{formatDate d style="long" locale="fr"}}', { d: '2026-12-24' }, { contact })).toBe(
      '24 décembre 2026',
    );
    expect(
      render('{{formatDate}}', {}, { now: new Date('2026-01-02T03:00:00Z'), timeZone: 'Asia/Tokyo' }),
    ).toBe('Jan 2, 2026');
  });

  it('formatDate refuses what is not a date, an unknown zone and a missing value', () => {
    const failed = (body: string, variables: Record<string, unknown>) => {
      expect(() => render(body, variables)).toThrow(DomainError);
      expect(() => render(body, variables)).toThrow(/could not be rendered/);
    };
    failed('{{formatDate d}}', { d: 'next tuesday' });
    failed('{{formatDate d timeZone="Mars/Olympus"}}', { d: '2026-01-01T00:00:00Z' });
    failed('{{formatDate d style="huge"}}', { d: '2026-01-01T00:00:00Z' });
    failed('{{formatDate missing}}', {});
  });

  it('currency and formatNumber follow the language', () => {
    expect(render('{{currency n "EUR"}}', { n: 1234.5 }, { locale: 'de-DE' })).toBe('1.234,50 €');
    expect(render('{{currency n "USD"}}', { n: '1234.5' }, { locale: 'en-US' })).toBe('$1,234.50');
    expect(render('{{currency n code="JPY" display="code"}}', { n: 1234 }, { locale: 'en-US' })).toBe(
      'JPY 1,234',
    );
    expect(render('{{formatNumber n}}', { n: 1234567.891 }, { locale: 'fr-FR' })).toBe('1 234 567,891');
    expect(render('{{formatNumber n style="percent"}}', { n: 0.25 })).toBe('25%');
    expect(render('{{formatNumber n maximumFractionDigits=1}}', { n: 2.25 })).toBe('2.3');
    expect(() => render('{{currency n}}', { n: 1 })).toThrow(/ISO 4217/);
    expect(() => render('{{formatNumber n}}', { n: 'abc' })).toThrow(/not a number/);
  });

  it('plural picks the category of the language (English, Polish, French)', () => {
    const en = '{{plural n one="# item" other="# items"}}';
    expect(render(en, { n: 1 })).toBe('1 item');
    expect(render(en, { n: 0 })).toBe('0 items');
    expect(render(en, { n: 1200 })).toBe('1,200 items');
    const pl = '{{plural n one="# plik" few="# pliki" many="# plików" other="# pliku"}}';
    expect(render(pl, { n: 1 }, { locale: 'pl' })).toBe('1 plik');
    expect(render(pl, { n: 3 }, { locale: 'pl' })).toBe('3 pliki');
    expect(render(pl, { n: 5 }, { locale: 'pl' })).toBe('5 plików');
    expect(render(pl, { n: 22 }, { locale: 'pl' })).toBe('22 pliki');
    expect(render('{{plural n one="article" other="articles"}}', { n: 0 }, { locale: 'fr' })).toBe('article');
    expect(() => render('{{plural n one="x"}}', { n: 2 })).toThrow(/other=/);
  });

  it('eq works as a subexpression of #if', () => {
    const body = '{{#if (eq status "paid")}}thanks{{else}}please pay{{/if}}';
    expect(render(body, { status: 'paid' })).toBe('thanks');
    expect(render(body, { status: 'open' })).toBe('please pay');
    expect(render('{{#if (eq n 1)}}one{{/if}}', { n: 1 })).toBe('one');
  });

  it('noEscape: & < > " stay as written', () => {
    expect(render('Tom & Jerry {{x}}', { x: '<b>&amp;"\'</b>' })).toBe('Tom & Jerry <b>&amp;"\'</b>');
  });
});
