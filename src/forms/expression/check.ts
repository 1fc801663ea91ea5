import { functions } from './evaluate.ts';
import { type Expr, ExpressionError, parseExpression, references } from './parse.ts';

/** Parses an expression and checks that it calls only known functions and reads only the given names. */
export function checkedExpression(src: string, names: ReadonlySet<string>): Expr {
  const e = parseExpression(src);
  const refs = references(e);
  for (const c of refs.calls) if (!functions[c.fn]) throw new ExpressionError(`未知的函数 “${c.fn}”`, c.at);
  for (const n of refs.names) if (!names.has(n.name)) throw new ExpressionError(`未知的名称 “${n.name}”`, n.at);
  return e;
}
