import { BLOCK_HELPERS, INLINE_HELPERS } from './template-helpers';

export const TEMPLATE_PROBLEM_CODES = [
  'template_syntax_error',
  'template_partials_not_allowed',
  'unknown_helper',
  'invalid_helper_usage',
  'undeclared_variable',
] as const;
export type TemplateProblemCode = (typeof TEMPLATE_PROBLEM_CODES)[number];

/** Something that keeps a body from being saved. Lines and columns are 1-based. */
export interface TemplateProblem {
  code: TemplateProblemCode;
  message: string;
  line?: number;
  column?: number;
}

/** Something worth telling the author that does not keep the body from being saved. */
export interface TemplateWarning {
  code: 'unused_variable';
  message: string;
  variable: string;
}

export interface TemplateAnalysis {
  problems: TemplateProblem[];
  warnings: TemplateWarning[];
  /** Paths read from the top-level data (variables and `contact.*`), dotted, in order of use. */
  paths: string[];
}

/** Property names that would reach into JavaScript's object machinery. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** A declared variable name: identifiers joined by dots (`orderId`, `order.total`). */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Always readable without being declared. */
export const CONTACT_ROOT = 'contact';

const INLINE: ReadonlySet<string> = new Set(INLINE_HELPERS);
const BLOCK: ReadonlySet<string> = new Set(BLOCK_HELPERS);
const LOOP_DATA: ReadonlySet<string> = new Set(['index', 'key', 'first', 'last']);

/** What the data at some place of the template is. */
type Scope =
  | { kind: 'data'; path: string[] } // a place in the top-level data (root = [])
  | { kind: 'open' }; // an element of a list, or a computed value: its shape is not declared

type Binding = Scope | { kind: 'index' };

interface Frame {
  /** Set when the block changes the context (`each`, `with`). */
  context?: Scope;
  params: Map<string, Binding>;
  loop: boolean;
}

type Node = hbs.AST.Node;
type Expr = hbs.AST.Expression;

const isPath = (node: Node | undefined): node is hbs.AST.PathExpression => node?.type === 'PathExpression';
const isPrefix = (a: string[], b: string[]): boolean => a.length <= b.length && a.every((s, i) => s === b[i]);
const simpleName = (p: hbs.AST.PathExpression): string | undefined =>
  !p.data && p.depth === 0 && p.parts.length === 1 && !/^(\.|this\b)/.test(p.original)
    ? p.parts[0]
    : undefined;

/**
 * Walks a parsed template and says what keeps it from being a safe, self-describing message:
 * partials and decorators, helpers we do not have, helpers used in the wrong form, and paths
 * that read data the template did not declare (`declared === null` skips that last check: the
 * engine runs the rest on every body it compiles).
 */
export class TemplateAnalyzer {
  private readonly problems: TemplateProblem[] = [];
  private readonly paths: string[][] = [];
  private readonly frames: Frame[] = [
    { context: { kind: 'data', path: [] }, params: new Map(), loop: false },
  ];
  private readonly declared: string[][] | null;

  constructor(declared: string[] | null) {
    this.declared = declared?.map((d) => d.split('.')) ?? null;
  }

  analyze(program: hbs.AST.Program): TemplateAnalysis {
    this.program(program);
    const used = this.paths;
    const warnings: TemplateWarning[] = (this.declared ?? [])
      .filter((d) => !used.some((u) => isPrefix(d, u) || isPrefix(u, d)))
      .map((d) => ({
        code: 'unused_variable' as const,
        message: `variable ${d.join('.')} is declared but the body does not use it`,
        variable: d.join('.'),
      }));
    return { problems: this.problems, warnings, paths: [...new Set(used.map((p) => p.join('.')))] };
  }

  private problem(code: TemplateProblemCode, message: string, node: Node): void {
    const start = node.loc?.start;
    this.problems.push(
      start ? { code, message, line: start.line, column: start.column + 1 } : { code, message },
    );
  }

  private program(program: hbs.AST.Program | undefined): void {
    for (const statement of program?.body ?? []) this.statement(statement);
  }

  private statement(node: Node): void {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement);
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement);
      case 'PartialStatement':
      case 'PartialBlockStatement':
        return this.problem('template_partials_not_allowed', 'partials ({{> name}}) are not allowed', node);
      case 'Decorator':
      case 'DecoratorBlock':
        return this.problem('template_partials_not_allowed', 'decorators ({{* name}}) are not allowed', node);
      default:
        return this.problem('template_syntax_error', `unexpected ${node.type}`, node);
    }
  }

  private mustache(node: hbs.AST.MustacheStatement): void {
    if (!isPath(node.path)) return; // a literal prints itself
    const name = simpleName(node.path);
    const call =
      node.params.length > 0 || !!node.hash || (name !== undefined && (INLINE.has(name) || BLOCK.has(name)));
    if (!call) return this.read(node.path);
    if (name !== undefined && BLOCK.has(name)) {
      return this.problem(
        'invalid_helper_usage',
        `${name} is a block helper: write {{#${name} ...}}...{{/${name}}}`,
        node,
      );
    }
    this.call(node.path, node.params, node.hash, node);
  }

  private subExpression(node: hbs.AST.SubExpression): void {
    const name = simpleName(node.path);
    if (name !== undefined && BLOCK.has(name)) {
      return this.problem(
        'invalid_helper_usage',
        `${name} is a block helper and cannot be a subexpression`,
        node,
      );
    }
    this.call(node.path, node.params, node.hash, node);
  }

  /** An inline helper call: the helper must be ours; its arguments are read like any path. */
  private call(
    path: hbs.AST.PathExpression,
    params: Expr[],
    hash: hbs.AST.Hash | undefined,
    node: Node,
  ): void {
    const name = simpleName(path);
    if (name === undefined || !INLINE.has(name)) {
      this.problem(
        'unknown_helper',
        `unknown helper ${path.original} (helpers: ${[...INLINE_HELPERS, ...BLOCK_HELPERS].join(', ')})`,
        node,
      );
    }
    this.expressions(params, hash);
  }

  private block(node: hbs.AST.BlockStatement): void {
    const name = simpleName(node.path);
    if (name === undefined || !BLOCK.has(name)) {
      const known = name !== undefined && INLINE.has(name);
      return this.problem(
        known ? 'invalid_helper_usage' : 'unknown_helper',
        known
          ? `${name} is not a block helper: write {{${name} ...}}`
          : `{{#${node.path.original}}} is not a block helper (blocks: ${BLOCK_HELPERS.join(', ')}); ` +
              'to enter an object or a list write {{#with x}} or {{#each x}}',
        node,
      );
    }
    if (node.params.length !== 1 || node.hash) {
      this.problem(
        'invalid_helper_usage',
        `#${name} takes exactly one argument and no key=value pairs`,
        node,
      );
      this.expressions(node.params, node.hash);
      this.program(node.program);
      return this.program(node.inverse);
    }
    const arg = node.params[0]!;
    this.expression(arg);
    const blockParams = node.program?.blockParams ?? [];
    const frame: Frame = { params: new Map(), loop: name === 'each' };
    if (name === 'each') {
      frame.context = { kind: 'open' };
      if (blockParams[0]) frame.params.set(blockParams[0], { kind: 'open' });
      if (blockParams[1]) frame.params.set(blockParams[1], { kind: 'index' });
    } else if (name === 'with') {
      frame.context = isPath(arg) ? this.scopeOf(arg) : { kind: 'open' };
      if (blockParams[0]) frame.params.set(blockParams[0], frame.context);
    }
    this.frames.push(frame);
    this.program(node.program);
    this.frames.pop();
    this.program(node.inverse); // {{else}} runs in the enclosing context
  }

  private expressions(params: Expr[], hash: hbs.AST.Hash | undefined): void {
    for (const p of params) this.expression(p);
    for (const pair of hash?.pairs ?? []) this.expression(pair.value);
  }

  private expression(node: Expr): void {
    if (node.type === 'SubExpression') this.subExpression(node as hbs.AST.SubExpression);
    else if (isPath(node)) this.read(node);
  }

  /** A path whose value is read (printed, or passed to a helper). */
  private read(path: hbs.AST.PathExpression): void {
    const forbidden = path.parts.find((p) => FORBIDDEN_SEGMENTS.has(p));
    if (forbidden && this.declared !== null) {
      return this.problem('undeclared_variable', `${path.original}: ${forbidden} is not readable`, path);
    }
    if (path.data) return this.readData(path);
    const resolved = this.resolve(path);
    if (resolved === 'above-root') {
      return this.problem('undeclared_variable', `${path.original} reaches above the top level`, path);
    }
    if (resolved.kind !== 'data') return;
    const full = resolved.path;
    if (full.length === 0) {
      return this.problem(
        'undeclared_variable',
        `${path.original} at the top level is the whole data, not a variable`,
        path,
      );
    }
    this.paths.push(full);
    if (full[0] === CONTACT_ROOT || this.declared === null) return;
    if (!this.declared.some((d) => isPrefix(d, full) || isPrefix(full, d))) {
      this.problem(
        'undeclared_variable',
        `${full.join('.')} is not a declared variable (declare it in variables, or use contact.*)`,
        path,
      );
    }
  }

  private readData(path: hbs.AST.PathExpression): void {
    const [head, ...rest] = path.parts;
    if (head === 'root' && path.depth === 0) {
      if (rest.length === 0)
        return this.problem('undeclared_variable', '@root alone is the whole data', path);
      return this.read({ ...path, data: false, parts: rest, original: rest.join('.') });
    }
    const loops = this.frames.filter((f) => f.loop).length;
    if (head !== undefined && LOOP_DATA.has(head) && rest.length === 0 && loops > path.depth) return;
    this.problem('undeclared_variable', `${path.original} is only available inside {{#each}}`, path);
  }

  /** Where a path points: a block parameter, or the context `depth` levels up. */
  private resolve(path: hbs.AST.PathExpression): Scope | 'above-root' {
    const scoped = /^(\.|this\b)/.test(path.original);
    if (!scoped && path.depth === 0) {
      for (let i = this.frames.length - 1; i >= 0; i--) {
        const binding = this.frames[i]!.params.get(path.parts[0]!);
        if (!binding) continue;
        if (binding.kind !== 'data') return { kind: 'open' };
        return { kind: 'data', path: [...binding.path, ...path.parts.slice(1)] };
      }
    }
    const contexts = this.frames.filter((f) => f.context).map((f) => f.context!);
    const base = contexts[contexts.length - 1 - path.depth];
    if (!base) return 'above-root';
    return base.kind === 'data' ? { kind: 'data', path: [...base.path, ...path.parts] } : base;
  }

  private scopeOf(path: hbs.AST.PathExpression): Scope {
    if (path.data) {
      return path.parts[0] === 'root' ? { kind: 'data', path: path.parts.slice(1) } : { kind: 'open' };
    }
    const resolved = this.resolve(path);
    return resolved === 'above-root' ? { kind: 'open' } : resolved;
  }
}
