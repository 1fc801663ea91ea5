/*
 * The expression language of form files: arithmetic, comparisons, && || !, ?:, literals, dotted names and calls to
 * a fixed set of functions. Parsed into a tree once at load time and evaluated by walking it: no eval, no Function.
 */
export type Expr =
  | { t: 'lit'; v: number | string | boolean | null }
  | { t: 'name'; path: string[]; at: number }
  | { t: 'unary'; op: '!' | '-'; e: Expr }
  | { t: 'bin'; op: string; l: Expr; r: Expr }
  | { t: 'cond'; c: Expr; a: Expr; b: Expr }
  | { t: 'call'; fn: string; args: Expr[]; at: number }
  | { t: 'list'; items: Expr[] };

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message}（第 ${column + 1} 列）`);
  }
}

type Token = { k: 'num' | 'str' | 'id' | 'op' | 'end'; v: string; at: number };

const operators = [
  '&&',
  '||',
  '==',
  '!=',
  '>=',
  '<=',
  '≥',
  '≤',
  '>',
  '<',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '?',
  ':',
  '(',
  ')',
  ',',
  '.',
  '[',
  ']',
];

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^\d+(\.\d+)?/.exec(src.slice(i))!;
      tokens.push({ k: 'num', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExpressionError('字符串缺少结束引号', i);
      tokens.push({ k: 'str', v: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z_\u4e00-\u9fa5]/.test(c)) {
      const m = /^[A-Za-z_\u4e00-\u9fa5][A-Za-z0-9_\u4e00-\u9fa5]*/.exec(src.slice(i))!;
      tokens.push({ k: 'id', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    const op = operators.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`无法识别的字符 “${c}”`, i);
    tokens.push({ k: 'op', v: op === '≥' ? '>=' : op === '≤' ? '<=' : op, at: i });
    i += op.length;
  }
  tokens.push({ k: 'end', v: '', at: src.length });
  return tokens;
}

const precedence: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

export function parseExpression(src: string): Expr {
  const p = new Parser(tokenize(src));
  const e = p.ternary();
  if (p.peek().k !== 'end') throw new ExpressionError(`多余的 “${p.peek().v}”`, p.peek().at);
  return e;
}

/** Precedence climbing over the tokens: ternary → binary operators by precedence → primary. */
class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  peek = () => this.tokens[this.pos]!;
  private next = () => this.tokens[this.pos++]!;
  private isOp = (v: string) => this.peek().k === 'op' && this.peek().v === v;
  private expect(v: string): void {
    const t = this.next();
    if (t.v !== v || t.k !== 'op') throw new ExpressionError(`此处应为 “${v}”`, t.at);
  }

  ternary(): Expr {
    const c = this.binary(1);
    if (!this.isOp('?')) return c;
    this.next();
    const a = this.ternary();
    this.expect(':');
    return { t: 'cond', c, a, b: this.ternary() };
  }

  private binary(minPrec: number): Expr {
    let left = this.primary();
    for (;;) {
      const t = this.peek();
      const p = t.k === 'op' ? precedence[t.v] : undefined;
      if (p === undefined || p < minPrec) return left;
      this.next();
      left = { t: 'bin', op: t.v, l: left, r: this.binary(p + 1) };
    }
  }

  /** Comma-separated expressions up to the closing bracket. */
  private items(close: string): Expr[] {
    const items: Expr[] = [];
    if (!this.isOp(close)) {
      do items.push(this.ternary());
      while (this.peek().v === ',' && this.next());
    }
    this.expect(close);
    return items;
  }

  private primary(): Expr {
    const t = this.next();
    if (t.k === 'num') return { t: 'lit', v: Number(t.v) };
    if (t.k === 'str') return { t: 'lit', v: t.v };
    if (t.k === 'op' && t.v === '(') {
      const e = this.ternary();
      this.expect(')');
      return e;
    }
    if (t.k === 'op' && t.v === '[') return { t: 'list', items: this.items(']') };
    if (t.k === 'op' && (t.v === '!' || t.v === '-')) return { t: 'unary', op: t.v, e: this.primary() };
    if (t.k === 'id') return this.identifier(t);
    throw new ExpressionError(t.k === 'end' ? '表达式不完整' : `此处不应出现 “${t.v}”`, t.at);
  }

  /** A literal word, a function call, or a dotted name. */
  private identifier(t: Token): Expr {
    if (t.v === 'true' || t.v === 'false') return { t: 'lit', v: t.v === 'true' };
    if (t.v === 'null') return { t: 'lit', v: null };
    if (this.isOp('(')) {
      this.next();
      return { t: 'call', fn: t.v, args: this.items(')'), at: t.at };
    }
    const path = [t.v];
    while (this.isOp('.')) {
      this.next();
      const p = this.next();
      if (p.k !== 'id') throw new ExpressionError('“.” 后应为名称', p.at);
      path.push(p.v);
    }
    return { t: 'name', path, at: t.at };
  }
}

/** Every name an expression reads (first path segment) and every function it calls, for load-time checks. */
export function references(
  e: Expr,
  out = { names: [] as { name: string; at: number }[], calls: [] as { fn: string; at: number }[] },
) {
  switch (e.t) {
    case 'name':
      out.names.push({ name: e.path[0]!, at: e.at });
      break;
    case 'unary':
      references(e.e, out);
      break;
    case 'bin':
      references(e.l, out);
      references(e.r, out);
      break;
    case 'cond':
      references(e.c, out);
      references(e.a, out);
      references(e.b, out);
      break;
    case 'call':
      out.calls.push({ fn: e.fn, at: e.at });
      e.args.forEach((a) => references(a, out));
      break;
    case 'list':
      e.items.forEach((a) => references(a, out));
      break;
  }
  return out;
}
