/**
 * A small evaluator for the literal part of Terraform expressions, enough to read what checkov's
 * graph renders statically: `jsonencode({...})` of literal HCL/JSON (kept as the structure itself, as
 * checkov's `jsonencode` is the identity), `var.x` (its default),
 * `local.x`, `-1`, `tolist([...])`-style wrappers and plain literals. Anything else — a reference to
 * another resource, an operator, a conditional — stays an opaque `${...}` string, so it counts as
 * "set but unknown" exactly like an unrendered reference in checkov.
 */

/** Values of `var.NAME` (defaults) and `local.NAME`; a missing name stays a reference. */
export interface ExpressionScope {
  readonly variables: ReadonlyMap<string, unknown>;
  readonly locals: ReadonlyMap<string, unknown>;
}

export const EMPTY_SCOPE: ExpressionScope = { variables: new Map(), locals: new Map() };

/** Thrown inside the parser when an expression is not a literal we evaluate; the caller keeps the text. */
class Opaque extends Error {}

type Token = { kind: 'punct' | 'string' | 'number' | 'ident' | 'newline' | 'heredoc'; text: string; value?: unknown };

const PUNCT = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '=>',
  '...',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  '=',
  ':',
  '.',
  '?',
  '-',
  '!',
  '+',
  '*',
  '/',
  '%',
  '<',
  '>',
];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      out.push({ kind: 'newline', text: '\n' });
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (c === '"') {
      const [value, next] = readString(src, i + 1);
      out.push({ kind: 'string', text: src.slice(i, next), value });
      i = next;
    } else if (c === '<' && src.startsWith('<<', i)) {
      const m = /^<<(-?)([A-Za-z_][\w-]*)\r?\n/.exec(src.slice(i));
      if (!m) throw new Opaque();
      const bodyStart = i + m[0].length;
      const endMatch = new RegExp(`\\n[ \\t]*${m[2]}[ \\t]*(?=\\n|$)`).exec(src.slice(bodyStart - 1));
      if (!endMatch) throw new Opaque();
      let body = src.slice(bodyStart, bodyStart - 1 + endMatch.index);
      if (m[1] === '-') {
        const lines = body.split('\n');
        const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
        body = lines.map((l) => l.slice(indent)).join('\n');
      }
      out.push({ kind: 'heredoc', text: body, value: `${body}\n` });
      i = bodyStart - 1 + endMatch.index + endMatch[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ kind: 'number', text: m[0], value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w-]*(::[A-Za-z_][\w-]*)*/.exec(src.slice(i))!;
      out.push({ kind: 'ident', text: m[0] });
      i += m[0].length;
    } else {
      const p = PUNCT.find((x) => src.startsWith(x, i));
      if (!p) throw new Opaque();
      out.push({ kind: 'punct', text: p });
      i += p.length;
    }
  }
  return out;
}

/** Reads a quoted string body starting after the opening quote; templates (`${`) are kept verbatim. */
function readString(src: string, start: number): [string, number] {
  let value = '';
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') return [value, i + 1];
    if (c === '\\') {
      const n = src[i + 1];
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
      if (n === 'u') {
        value += String.fromCharCode(Number.parseInt(src.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      value += map[n] ?? n;
      i += 2;
      continue;
    }
    if ((c === '$' || c === '%') && src[i + 1] === '{') {
      // Copy a template interpolation through to its matching brace (strings inside may hold braces).
      let depth = 0;
      let j = i + 1;
      for (; j < src.length; j++) {
        const d = src[j];
        if (d === '"') {
          j = readString(src, j + 1)[1] - 1;
        } else if (d === '{') depth++;
        else if (d === '}' && --depth === 0) break;
      }
      value += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    value += c;
    i++;
  }
  throw new Opaque();
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly scope: ExpressionScope,
    private readonly depth: number,
  ) {}

  parseAll(): unknown {
    this.skipNewlines();
    const v = this.expression();
    this.skipNewlines();
    if (this.pos !== this.tokens.length) throw new Opaque();
    return v;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.isPunct(text)) throw new Opaque();
    this.pos++;
  }

  private skipNewlines(): void {
    while (this.peek()?.kind === 'newline') this.pos++;
  }

  private expression(): unknown {
    const v = this.unary();
    const t = this.peek();
    // Operators and conditionals are not literals: the whole expression stays opaque.
    if (t?.kind === 'punct' && !['}', ']', ')', ',', '=', ':'].includes(t.text)) throw new Opaque();
    return v;
  }

  private unary(): unknown {
    if (this.isPunct('-')) {
      this.pos++;
      const v = this.unary();
      if (typeof v !== 'number') throw new Opaque();
      return -v;
    }
    if (this.isPunct('!')) {
      this.pos++;
      const v = this.unary();
      if (typeof v !== 'boolean') throw new Opaque();
      return !v;
    }
    return this.primary();
  }

  private primary(): unknown {
    const t = this.peek();
    if (!t) throw new Opaque();
    if (t.kind === 'number' || t.kind === 'heredoc') {
      this.pos++;
      return t.value;
    }
    if (t.kind === 'string') {
      this.pos++;
      return renderTemplate(t.value as string, this.scope, this.depth);
    }
    if (this.isPunct('{')) return this.object();
    if (this.isPunct('[')) return this.tuple();
    if (this.isPunct('(')) {
      this.pos++;
      this.skipNewlines();
      const v = this.expression();
      this.skipNewlines();
      this.expect(')');
      return v;
    }
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') {
        this.pos++;
        return t.text === 'true';
      }
      if (t.text === 'null') {
        this.pos++;
        return null;
      }
      if (this.tokens[this.pos + 1]?.kind === 'punct' && this.tokens[this.pos + 1].text === '(') return this.call();
      return this.traversal();
    }
    throw new Opaque();
  }

  private call(): unknown {
    const name = this.peek()!.text;
    this.pos += 2;
    const args: unknown[] = [];
    this.skipNewlines();
    while (!this.isPunct(')')) {
      args.push(this.expression());
      this.skipNewlines();
      if (this.isPunct(',')) this.pos++;
      this.skipNewlines();
    }
    this.pos++;
    // checkov's safe eval maps jsonencode to the identity: the policy stays a structure, not JSON text.
    if (name === 'jsonencode' && args.length === 1) return args[0];
    if (['tolist', 'toset', 'tomap', 'tostring', 'tonumber', 'tobool'].includes(name) && args.length === 1) return args[0];
    if (name === 'jsondecode' && args.length === 1 && typeof args[0] === 'string' && !args[0].includes('${')) {
      try {
        return JSON.parse(args[0]);
      } catch {
        throw new Opaque();
      }
    }
    throw new Opaque();
  }

  /** `a.b.c[0]`: var./local. resolve through the scope; any other reference is an opaque `${...}` string. */
  private traversal(): unknown {
    const start = this.pos;
    const parts: string[] = [this.peek()!.text];
    this.pos++;
    while (this.isPunct('.') || this.isPunct('[')) {
      if (this.isPunct('.')) {
        this.pos++;
        const t = this.peek();
        if (!t || (t.kind !== 'ident' && t.kind !== 'number' && !(t.kind === 'punct' && t.text === '*'))) throw new Opaque();
        parts.push(t.text);
        this.pos++;
      } else {
        this.pos++;
        const t = this.peek();
        if (!t) throw new Opaque();
        parts.push(`[${t.text}]`);
        this.pos++;
        this.expect(']');
      }
    }
    const text = this.tokens
      .slice(start, this.pos)
      .map((t) => t.text)
      .join('');
    if ((parts[0] === 'var' || parts[0] === 'local') && parts.length >= 2) {
      const table = parts[0] === 'var' ? this.scope.variables : this.scope.locals;
      if (table.has(parts[1]) && this.depth < 8) {
        let v = resolveValue(table.get(parts[1]), this.scope, this.depth + 1);
        for (const p of parts.slice(2)) {
          const key = p.startsWith('[') ? p.slice(1, -1).replace(/^"|"$/g, '') : p;
          if (v && typeof v === 'object' && key in (v as object)) v = (v as Record<string, unknown>)[key];
          else return `\${${text}}`;
        }
        return v;
      }
    }
    return `\${${text}}`;
  }

  private object(): Record<string, unknown> {
    this.expect('{');
    const out: Record<string, unknown> = {};
    this.skipNewlines();
    while (!this.isPunct('}')) {
      const t = this.peek();
      let key: string;
      if (t?.kind === 'ident' || t?.kind === 'number') {
        key = t.text;
        this.pos++;
      } else if (t?.kind === 'string') {
        const k = renderTemplate(t.value as string, this.scope, this.depth);
        if (typeof k !== 'string' || k.includes('${')) throw new Opaque();
        key = k;
        this.pos++;
      } else if (this.isPunct('(')) {
        this.pos++;
        const k = this.expression();
        this.expect(')');
        if (typeof k !== 'string' || k.includes('${')) throw new Opaque();
        key = k;
      } else throw new Opaque();
      if (this.isPunct('=') || this.isPunct(':')) this.pos++;
      else throw new Opaque();
      this.skipNewlines();
      out[key] = this.expression();
      this.skipNewlines();
      if (this.isPunct(',')) this.pos++;
      this.skipNewlines();
    }
    this.pos++;
    return out;
  }

  private tuple(): unknown[] {
    this.expect('[');
    const out: unknown[] = [];
    this.skipNewlines();
    if (this.peek()?.kind === 'ident' && this.peek()!.text === 'for') throw new Opaque();
    while (!this.isPunct(']')) {
      out.push(this.expression());
      this.skipNewlines();
      if (this.isPunct(',')) this.pos++;
      this.skipNewlines();
    }
    this.pos++;
    return out;
  }
}

/** Evaluates one HCL expression's source text; `undefined` when it is not a literal we can read. */
export function evaluateExpression(source: string, scope: ExpressionScope = EMPTY_SCOPE, depth = 0): { value: unknown } | undefined {
  try {
    return { value: new Parser(tokenize(source), scope, depth).parseAll() };
  } catch (e) {
    if (e instanceof Opaque) return undefined;
    throw e;
  }
}

/** The source inside `${...}` when a whole string is one interpolation. */
export function wholeInterpolation(s: string): string | undefined {
  if (!s.startsWith('${') || !s.endsWith('}')) return undefined;
  // The first `${` must close at the very end (not `${a}-${b}`).
  let depth = 0;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      try {
        i = readString(s, i + 1)[1] - 1;
      } catch {
        return undefined;
      }
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i === s.length - 1 ? s.slice(2, -1) : undefined;
  }
  return undefined;
}

/**
 * Renders a string as checkov's graph does: a whole `${expr}` becomes the value of `expr` when that is a
 * literal (`jsonencode` of literals gives the literal structure), and `${var.x}`/`${local.x}` parts of a longer
 * template are substituted when they are strings or numbers. Everything else is left as written.
 */
export function renderTemplate(s: string, scope: ExpressionScope, depth = 0): unknown {
  if (!s.includes('${')) return s;
  const whole = wholeInterpolation(s);
  if (whole !== undefined) {
    const r = evaluateExpression(whole, scope, depth);
    return r === undefined ? s : r.value;
  }
  return s.replace(/\$\{\s*((?:var|local)\.[\w-]+)\s*\}/g, (m, ref: string) => {
    const r = evaluateExpression(ref, scope, depth);
    return r && (typeof r.value === 'string' || typeof r.value === 'number') && !String(r.value).includes('${') ? String(r.value) : m;
  });
}

/** Renders every string inside a value (objects and arrays recursively). */
export function resolveValue(value: unknown, scope: ExpressionScope, depth = 0): unknown {
  if (typeof value === 'string') return renderTemplate(value, scope, depth);
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope, depth));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolveValue(v, scope, depth)]));
  }
  return value;
}

/** Replaces `${ITER.key}`, `${ITER.value}` and `${ITER.value.attr}` in every string of `value`. */
function substituteIterator(value: unknown, iterator: string, key: unknown, item: unknown): unknown {
  if (typeof value === 'string') {
    const pattern = new RegExp(`\\$\\{\\s*${iterator}\\.(key|value)((?:\\.[\\w-]+)*)\\s*\\}`, 'g');
    const lookup = (which: string, path: string): unknown => {
      let v: unknown = which === 'key' ? key : item;
      for (const p of path.split('.').filter(Boolean)) {
        if (!v || typeof v !== 'object' || !(p in (v as object))) return undefined;
        v = (v as Record<string, unknown>)[p];
      }
      return v;
    };
    const whole = new RegExp(`^\\$\\{\\s*${iterator}\\.(key|value)((?:\\.[\\w-]+)*)\\s*\\}$`).exec(value);
    if (whole) {
      const v = lookup(whole[1], whole[2]);
      return v === undefined ? value : v;
    }
    return value.replace(pattern, (m, which: string, path: string) => {
      const v = lookup(which, path);
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : m;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substituteIterator(v, iterator, key, item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, substituteIterator(v, iterator, key, item)]),
    );
  }
  return value;
}

/**
 * Expands `dynamic "NAME" { for_each = ..., content { ... } }` blocks into NAME blocks, as checkov's
 * handle_dynamic_values does: one block per element of a literal (or rendered) for_each, with
 * `NAME.value`/`NAME.key` (or the `iterator` name) substituted; an unknown for_each gives one block
 * with the content as written.
 */
export function expandDynamicBlocks(config: Record<string, unknown>, scope: ExpressionScope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'dynamic') continue;
    out[k] = Array.isArray(v)
      ? v.map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? expandDynamicBlocks(x as Record<string, unknown>, scope) : x))
      : v && typeof v === 'object'
        ? expandDynamicBlocks(v as Record<string, unknown>, scope)
        : v;
  }
  const dynamic = config.dynamic;
  if (!dynamic || typeof dynamic !== 'object' || Array.isArray(dynamic)) return out;
  for (const [name, specs] of Object.entries(dynamic as Record<string, unknown>)) {
    const generated: unknown[] = [];
    for (const spec of (Array.isArray(specs) ? specs : [specs]) as Record<string, unknown>[]) {
      if (!spec || typeof spec !== 'object') continue;
      const content = (Array.isArray(spec.content) ? spec.content[0] : spec.content) as Record<string, unknown> | undefined;
      if (!content) continue;
      const iterator = typeof spec.iterator === 'string' ? spec.iterator : name;
      const forEach = resolveValue(spec.for_each, scope);
      const items: Array<[unknown, unknown]> = Array.isArray(forEach)
        ? forEach.map((x, i) => [i, x])
        : forEach && typeof forEach === 'object'
          ? Object.entries(forEach as Record<string, unknown>)
          : [];
      if (items.length === 0 && typeof forEach === 'string') generated.push(expandDynamicBlocks(content, scope));
      for (const [key, item] of items) {
        // A set of strings iterates with key = value, as Terraform does.
        const k = Array.isArray(forEach) && typeof item === 'string' ? item : key;
        generated.push(expandDynamicBlocks(substituteIterator(content, iterator, k, item) as Record<string, unknown>, scope));
      }
    }
    const existing = out[name] === undefined ? [] : Array.isArray(out[name]) ? (out[name] as unknown[]) : [out[name]];
    out[name] = [...existing, ...generated];
  }
  return out;
}
