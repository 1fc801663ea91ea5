import Handlebars from 'handlebars';

/** Helpers whose output is already escaped for JSON; the only ones a template may print with `{{…}}`. */
export const printingHelpers = new Set(['text', 'md', 'json', 'money', 'percent', 'date', 'datetime', 'at', 'num']);

/**
 * Templates are compiled without Handlebars' HTML escaping (wrong for JSON), so every printed value must go
 * through an escaping helper. This walks the template's syntax tree and names each offending spot.
 */
export function lintTemplate(source: string): string[] {
  const problems: string[] = [];
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (e) {
    return [`syntax error: ${(e as Error).message.split('\n')[0]}`];
  }
  const visit = (node: hbs.AST.Node) => {
    const where = `line ${node.loc?.start.line ?? '?'}`;
    if (node.type === 'MustacheStatement') {
      const m = node as hbs.AST.MustacheStatement;
      const name = m.path.type === 'PathExpression' ? (m.path as hbs.AST.PathExpression).original : '';
      if (!m.escaped)
        problems.push(`${where}: triple braces {{{…}}} are not allowed; use {{text x}}, {{md x}} or {{json x}}`);
      else if (!printingHelpers.has(name) || m.params.length === 0) {
        problems.push(
          `${where}: {{${name}}} prints an unescaped value; use {{text ${name}}}, {{md ${name}}} or {{json ${name}}}`,
        );
      }
    }
    if (node.type === 'BlockStatement') {
      const b = node as hbs.AST.BlockStatement;
      if (b.program) visit(b.program);
      if (b.inverse) visit(b.inverse);
    }
    if (node.type === 'Program') (node as hbs.AST.Program).body.forEach(visit);
  };
  visit(ast);
  return problems;
}
