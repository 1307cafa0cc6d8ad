import { DomainError } from '@wwb/runtime';
import { MAX_LOOP_ITERATIONS, MAX_RENDERED_LENGTH, TemplateEngine } from './template-engine.service';
import type { TemplateContact } from './render-context';

const contact: TemplateContact = {
  id: 'ctc_1',
  phone: '+4915112345678',
  name: 'Jana',
  tags: ['vip'],
  attributes: { city: 'Berlin', points: 3 },
  timeZone: 'Europe/Berlin',
  language: 'de',
};

function renderError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw new Error(`expected a DomainError, got ${String(err)}`);
  }
  throw new Error('expected an error');
}

describe('TemplateEngine', () => {
  const engine = new TemplateEngine();

  describe('validate', () => {
    it('accepts declared variables, contact fields, helpers and the four block helpers', () => {
      const body = [
        'Hi {{default contact.name "there"}}, order {{orderId}} ({{currency order.total "EUR"}})',
        '{{#if (eq order.status "paid")}}paid{{else if order.status}}{{upper order.status}}{{else}}?{{/if}}',
        '{{#each order.items as |item i|}}{{i}}. {{item.name}} x{{item.qty}}{{#if @last}}.{{/if}}{{/each}}',
        '{{#each order.items}}{{@index}}:{{name}} {{../orderId}}{{/each}}',
        '{{#with order}}{{total}}{{/with}} {{#with order as |o|}}{{o.total}}{{/with}}',
        '{{#unless contact.attributes.vip}}-{{/unless}} {{plural order.count one="item" other="items"}}',
        '{{formatDate}} {{@root.orderId}}',
      ].join('\n');
      expect(engine.validate(body, ['orderId', 'order'])).toEqual([]);
      expect(engine.validate('{{order.total}} {{#with order}}{{total}}{{/with}}', ['order.total'])).toEqual(
        [],
      );
    });

    it('reports a syntax error with its line and column', () => {
      expect(engine.validate('Hello\n  {{name}', ['name'])).toEqual([
        { code: 'template_syntax_error', message: expect.any(String), line: 2, column: 9 },
      ]);
      const [unclosed] = engine.validate('a\n{{#if x}}\nb', ['x']);
      expect(unclosed).toMatchObject({ code: 'template_syntax_error', line: 3 });
      const [mismatch] = engine.validate('{{#each x}}\n{{/with}}', ['x']);
      expect(mismatch).toMatchObject({
        code: 'template_syntax_error',
        line: 1,
        message: "each doesn't match with",
      });
    });

    it('refuses unknown helpers, including handlebars builtins we removed', () => {
      expect(engine.validate('{{shout name}}', ['name'])).toEqual([
        { code: 'unknown_helper', message: expect.stringContaining('shout'), line: 1, column: 1 },
      ]);
      expect(engine.validate('{{lookup order "constructor"}}', ['order'])[0]?.code).toBe('unknown_helper');
      expect(engine.validate('{{log name}}', ['name'])[0]?.code).toBe('unknown_helper');
      expect(engine.validate('{{#if (shout x)}}y{{/if}}', ['x'])[0]?.code).toBe('unknown_helper');
      expect(engine.validate('{{#order}}{{total}}{{/order}}', ['order'])[0]?.code).toBe('unknown_helper');
      expect(engine.validate('{{#upper x}}y{{/upper}}', ['x'])[0]?.code).toBe('invalid_helper_usage');
      expect(engine.validate('{{if x}}', ['x'])[0]?.code).toBe('invalid_helper_usage');
    });

    it('refuses partials and decorators', () => {
      expect(engine.validate('a {{> footer}}', [])).toEqual([
        { code: 'template_partials_not_allowed', message: expect.any(String), line: 1, column: 3 },
      ]);
      expect(engine.validate('{{#> layout}}x{{/layout}}', [])[0]?.code).toBe('template_partials_not_allowed');
      expect(engine.validate('{{#*inline "p"}}x{{/inline}}', [])[0]?.code).toBe(
        'template_partials_not_allowed',
      );
    });

    it('refuses variables that are not declared, wherever they are read', () => {
      const problems = engine.validate('Hi {{name}}\n{{#if vip}}{{default nick "x"}}{{/if}}', ['name']);
      expect(problems).toEqual([
        { code: 'undeclared_variable', message: expect.stringContaining('vip'), line: 2, column: 7 },
        { code: 'undeclared_variable', message: expect.stringContaining('nick'), line: 2, column: 22 },
      ]);
      expect(engine.validate('{{#with order}}{{secret}}{{/with}}', ['order.total'])[0]).toMatchObject({
        code: 'undeclared_variable',
        message: expect.stringContaining('order.secret'),
      });
      expect(engine.validate('{{#each items}}{{../secret}}{{/each}}', ['items'])[0]?.code).toBe(
        'undeclared_variable',
      );
      expect(engine.validate('{{this}}', [])[0]?.code).toBe('undeclared_variable');
      expect(engine.validate('{{@index}}', [])[0]?.code).toBe('undeclared_variable');
      expect(engine.validate('{{order.constructor}}', ['order'])[0]?.code).toBe('undeclared_variable');
      expect(engine.validate('{{contact.__proto__}}', [])[0]?.code).toBe('undeclared_variable');
    });

    it('warns about declared variables the body does not use', () => {
      expect(engine.analyze('{{a}}', ['a', 'b.c'])).toMatchObject({
        problems: [],
        warnings: [{ code: 'unused_variable', variable: 'b.c' }],
        paths: ['a'],
      });
    });
  });

  describe('render', () => {
    it('renders variables (dotted names nest) and contact fields, without HTML escaping', () => {
      const text = engine.render(
        '{{contact.name}} & {{order.total}} <{{note}}> {{contact.attributes.city}}',
        {
          variables: { 'order.total': 12, note: 'a & b "c"' },
          contact,
        },
      );
      expect(text).toBe('Jana & 12 <a & b "c"> Berlin');
    });

    it('keeps prototype access off: constructor and __proto__ yield nothing', () => {
      const variables = { order: { id: 'o1' }, list: [1] };
      expect(engine.render('[{{order.constructor}}][{{list.constructor}}]', { variables })).toBe('[][]');
      expect(engine.render('[{{#with order}}{{constructor}}{{__proto__}}{{/with}}]', { variables })).toBe(
        '[]',
      );
      const err = renderError(() => engine.render('{{order.constructor.name}}', { variables }));
      expect(err.code).toBe('template_render_failed');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      engine.render('{{x}}', { variables: { '__proto__.polluted': 'yes', x: 1 } });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('turns a missing variable (strict mode) into template_render_failed with its place', () => {
      const err = renderError(() => engine.render('Hi\n{{name}}', { variables: {} }));
      expect(err).toMatchObject({
        kind: 'invalid',
        code: 'template_render_failed',
        details: { line: 2, column: 3 },
      });
      expect(err.message).toContain('name');
      expect(engine.render('{{default name "friend"}}', { variables: {} })).toBe('friend');
    });

    it('refuses to render an unsafe body even when it was never validated', () => {
      expect(renderError(() => engine.render('{{> p}}', { variables: {} })).code).toBe(
        'template_partials_not_allowed',
      );
      expect(renderError(() => engine.render('{{lookup a "b"}}', { variables: { a: {} } })).code).toBe(
        'unknown_helper',
      );
    });

    it('caps the output and the loop iterations', () => {
      const big = 'x'.repeat(MAX_RENDERED_LENGTH);
      expect(renderError(() => engine.render('{{a}}{{a}}', { variables: { a: big } })).code).toBe(
        'template_render_failed',
      );
      const rows = Array.from({ length: 100 }, (_, i) => i);
      const nested = '{{#each rows}}{{#each ../rows}}{{/each}}{{/each}}';
      const err = renderError(() => engine.render(nested, { variables: { rows } }));
      expect(err.message).toContain(String(MAX_LOOP_ITERATIONS));
      expect(
        engine.render('{{#each rows}}{{@index}}{{#if @last}}!{{/if}}{{else}}none{{/each}}', {
          variables: { rows: [5, 6] },
        }),
      ).toBe('01!');
      expect(engine.render('{{#each rows}}x{{else}}none{{/each}}', { variables: { rows: [] } })).toBe('none');
      expect(
        engine.render('{{#each m}}{{@key}}={{this}};{{/each}}', { variables: { m: { a: 1, b: 2 } } }),
      ).toBe('a=1;b=2;');
    });

    it('compiles a body once and forgets it on request', () => {
      const local = new TemplateEngine();
      local.render('{{a}}', { variables: { a: 1 } });
      local.render('{{a}}', { variables: { a: 2 } });
      expect(local.cachedCount).toBe(1);
      local.forget(TemplateEngine.hashOf('{{a}}'));
      expect(local.cachedCount).toBe(0);
    });
  });
});
