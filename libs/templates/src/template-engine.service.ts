import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { LRUCache } from 'lru-cache';
import { DomainError } from '@wwb/runtime';
import {
  FORBIDDEN_SEGMENTS,
  TemplateAnalysis,
  TemplateAnalyzer,
  TemplateProblem,
} from './template-analysis.policy';
import { INLINE_HELPERS, inlineHelpers, RenderSettings } from './template-helpers';
import type { RenderContext, TemplateContact } from './render-context';

/** WhatsApp accepts ~65,536 characters; a rendered template stays far below. */
export const MAX_RENDERED_LENGTH = 16_384;
/** Iterations of every `#each` of one render together. */
export const MAX_LOOP_ITERATIONS = 5_000;
const DEFAULT_LOCALE = 'en';
const DEFAULT_TIME_ZONE = 'UTC';

const COMPILE_OPTIONS: CompileOptions = {
  noEscape: true, // WhatsApp text is not HTML: '&' must stay '&'
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: {
    ...Object.fromEntries(INLINE_HELPERS.map((h) => [h, true])),
    lookup: false,
    log: false,
  },
};

interface RenderState extends RenderSettings {
  iterations: number;
}

type Compiled = HandlebarsTemplateDelegate<Record<string, unknown>>;

/**
 * The one Handlebars instance of the process (an isolated `Handlebars.create()`: nothing
 * registered globally leaks in), with our helpers only, no partials, no decorators, and the
 * default prototype-access rules (off). Compiled functions are kept per body hash in a
 * size-capped LRU, so a body changed by any process is simply a new key.
 */
@Injectable()
export class TemplateEngine {
  private readonly hbs = Handlebars.create();
  private readonly compiled = new LRUCache<string, Compiled>({
    max: 2_000,
    maxSize: 8_000_000,
    sizeCalculation: (_fn, key) => this.sizes.get(key) ?? 1,
    dispose: (_fn, key) => this.sizes.delete(key),
  });
  private readonly sizes = new Map<string, number>();
  private state: RenderState | null = null;
  private lastBody: string | null = null;
  private lastKey = '';

  constructor() {
    this.hbs.unregisterHelper('lookup');
    this.hbs.unregisterHelper('log');
    this.hbs.unregisterHelper('each');
    const helpers = inlineHelpers(() => this.current());
    for (const name of INLINE_HELPERS) this.hbs.registerHelper(name, helpers[name]);
    this.hbs.registerHelper('each', this.each());
  }

  static hashOf(body: string): string {
    return createHash('sha256').update(body, 'utf8').digest('base64url');
  }

  /** Problems that keep `body` from being saved when it may read the `declared` variables. */
  validate(body: string, declared: string[]): TemplateProblem[] {
    return this.analyze(body, declared).problems;
  }

  /** Problems, warnings (declared but unused) and the top-level paths the body reads. */
  analyze(body: string, declared: string[] | null): TemplateAnalysis {
    let program: hbs.AST.Program;
    try {
      program = this.hbs.parse(body);
    } catch (err) {
      return { problems: [this.syntaxProblem(err)], warnings: [], paths: [] };
    }
    const analysis = new TemplateAnalyzer(declared).analyze(program);
    if (analysis.problems.length === 0) {
      try {
        this.hbs.precompile(program, COMPILE_OPTIONS); // the compiler's own checks, as a second line
      } catch (err) {
        analysis.problems.push(this.syntaxProblem(err));
      }
    }
    return analysis;
  }

  /**
   * Renders `body`; throws DomainError invalid `template_render_failed` (a missing variable in
   * strict mode, a bad date, too much output), or the body's problems when it is not safe.
   */
  render(body: string, context: RenderContext): string {
    const fn = this.compile(body);
    const state: RenderState = {
      locale: context.locale ?? context.contact?.language ?? DEFAULT_LOCALE,
      timeZone: context.timeZone ?? context.contact?.timeZone ?? DEFAULT_TIME_ZONE,
      now: context.now ?? new Date(),
      iterations: 0,
    };
    const outer = this.state;
    this.state = state;
    let text: string;
    try {
      text = fn(dataOf(context.variables, context.contact));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw renderFailed(err);
    } finally {
      this.state = outer;
    }
    if (text.length > MAX_RENDERED_LENGTH) throw tooLong();
    return text;
  }

  /** Drops the compiled form of `bodyHash` (the body changed or is gone). */
  forget(bodyHash: string): void {
    this.compiled.delete(bodyHash);
  }

  get cachedCount(): number {
    return this.compiled.size;
  }

  private compile(body: string): Compiled {
    // A campaign renders one body 100,000 times in a row: hash it once, not per recipient.
    let key = this.lastKey;
    if (body !== this.lastBody) {
      key = TemplateEngine.hashOf(body);
      this.lastBody = body;
      this.lastKey = key;
    }
    const hit = this.compiled.get(key);
    if (hit) return hit;
    const { problems } = this.analyze(body, null);
    if (problems.length) throw templateInvalid(problems);
    const fn = this.hbs.compile<Record<string, unknown>>(body, COMPILE_OPTIONS);
    this.sizes.set(key, body.length + 1);
    this.compiled.set(key, fn);
    return fn;
  }

  private current(): RenderSettings {
    if (!this.state) throw new Error('helpers run only inside render()');
    return this.state;
  }

  /**
   * `#each` over arrays and plain objects, counting every iteration of the render and the
   * output so far: a template cannot loop longer than its data is, nor multiply nested lists
   * into megabytes.
   */
  private each(): Handlebars.HelperDelegate {
    const current = (): RenderState => this.state!;
    const createFrame = (data: unknown) => this.hbs.createFrame(data) as Record<string, unknown>;
    return function (this: unknown, list: unknown, options: Handlebars.HelperOptions): string {
      const entries: [string | number, unknown][] = Array.isArray(list)
        ? list.map((v, i) => [i, v])
        : isPlainObject(list)
          ? Object.keys(list).map((k) => [k, list[k]])
          : [];
      if (entries.length === 0) return options.inverse(this);
      const state = current();
      const frame = createFrame(options.data ?? {});
      let out = '';
      entries.forEach(([key, value], index) => {
        if (++state.iterations > MAX_LOOP_ITERATIONS) {
          throw renderFailed(new Error(`#each ran more than ${MAX_LOOP_ITERATIONS} times`));
        }
        Object.assign(frame, { key, index, first: index === 0, last: index === entries.length - 1 });
        out += options.fn(value, { data: frame, blockParams: [value, key] });
        if (out.length > MAX_RENDERED_LENGTH) throw tooLong();
      });
      return out;
    };
  }

  /** Handlebars' parse errors name the line in their message; the lexer knows the column. */
  private syntaxProblem(err: unknown): TemplateProblem {
    const e = err as { message?: string; lineNumber?: number; column?: number };
    const raw = String(e.message ?? err);
    if (typeof e.lineNumber === 'number') {
      return {
        code: 'template_syntax_error',
        message: raw.replace(/ - \d+:\d+$/, ''),
        line: e.lineNumber,
        column: (e.column ?? 0) + 1,
      };
    }
    const line = Number(/on line (\d+)/.exec(raw)?.[1]);
    const loc = (this.hbs as unknown as { Parser?: { lexer?: { yylloc?: LexerLocation } } }).Parser?.lexer
      ?.yylloc;
    const problem: TemplateProblem = { code: 'template_syntax_error', message: syntaxMessage(raw) };
    if (Number.isInteger(line)) problem.line = line;
    if (loc && (!problem.line || loc.first_line === problem.line)) {
      problem.line = loc.first_line;
      problem.column = loc.first_column + 1;
    }
    return problem;
  }
}

interface LexerLocation {
  first_line: number;
  first_column: number;
}

/** "Parse error on line 2:\n<excerpt>\n---^\nExpecting 'ID', got 'EOF'" -> one readable line. */
function syntaxMessage(raw: string): string {
  const lines = raw.split('\n');
  const last = lines[lines.length - 1] ?? raw;
  const got = /got '([A-Z_]+)'/.exec(last)?.[1];
  if (/^Parse error/.test(raw)) {
    return got === 'EOF'
      ? 'the template ends inside an unclosed {{...}} or block'
      : `unexpected ${got ?? 'text'}`;
  }
  return lines[0] ?? raw;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The top-level data: the variables (dotted names become nested objects) and the contact. */
function dataOf(variables: Record<string, unknown>, contact?: TemplateContact): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const names = Object.keys(variables).sort((a, b) => a.length - b.length);
  for (const name of names) setPath(data, name, variables[name]);
  if (contact) data.contact = contact;
  return data;
}

/** Sets `a.b.c` in `target`, creating objects on the way; refuses JavaScript's own property names. */
export function setPath(target: Record<string, unknown>, dotted: string, value: unknown): boolean {
  const parts = dotted.split('.');
  if (parts.some((p) => p === '' || FORBIDDEN_SEGMENTS.has(p))) return false;
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, part) ? node[part] : undefined;
    if (next === undefined) node[part] = {};
    else if (!isPlainObject(next)) return false;
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
  return true;
}

/** Reads `a.b.c` from `source` (own properties only). */
export function getPath(source: unknown, dotted: string): unknown {
  let node = source;
  for (const part of dotted.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, part)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function renderFailed(err: unknown): DomainError {
  const e = err as { message?: string; lineNumber?: number; column?: number };
  const message = String(e.message ?? err).replace(/ - \d+:\d+$/, '');
  const details =
    typeof e.lineNumber === 'number' ? { line: e.lineNumber, column: (e.column ?? 0) + 1 } : undefined;
  return DomainError.invalid(
    'template_render_failed',
    `the template could not be rendered: ${message}`,
    details,
  );
}

function tooLong(): DomainError {
  return DomainError.invalid(
    'template_render_failed',
    `the rendered text is longer than ${MAX_RENDERED_LENGTH} characters`,
    { limit: MAX_RENDERED_LENGTH },
  );
}

/** The first problem names the error; details list them all. */
export function templateInvalid(problems: TemplateProblem[]): DomainError {
  const first = problems[0]!;
  const message =
    problems.length === 1 ? first.message : `${first.message} (and ${problems.length - 1} more problems)`;
  return DomainError.invalid(first.code, message, problems);
}
