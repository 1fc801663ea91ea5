import { describe, expect, it } from 'vitest';
import { checkCard } from '../../src/cards/card-checks';
import { escapeMarkdown, jsonInner } from '../../src/cards/escape';
import { lintTemplate } from '../../src/cards/template-lint';

describe('card escaping', () => {
  it('neutralises mentions, links, emphasis and line-start markers', () => {
    expect(escapeMarkdown('<at id=all></at>')).toBe('&#60;at id=all&#62;&#60;/at&#62;');
    expect(escapeMarkdown('[点我](https://evil.example)')).not.toMatch(/[[\]()]/);
    expect(escapeMarkdown('**粗体** _斜_')).not.toMatch(/[*_]/);
    expect(escapeMarkdown('- 列表\n1. 编号\n# 标题')).toBe('&#45; 列表\n1&#46; 编号\n&#35; 标题');
    expect(escapeMarkdown('预算 100 万元 🎉')).toBe('预算 100 万元 🎉');
  });

  it('keeps JSON intact whatever the text', () => {
    for (const hostile of ['"}]', '\\', '\n\r\t', '\u2028', '"},{"tag":"button"']) {
      expect(JSON.parse(`"${jsonInner(hostile)}"`)).toBe(hostile);
    }
  });
});

describe('template lint', () => {
  it('refuses unescaped output and triple braces, naming the line', () => {
    expect(lintTemplate('{"a": "{{name}}"}')).toEqual([
      'line 1: {{name}} prints an unescaped value; use {{text name}}, {{md name}} or {{json name}}',
    ]);
    expect(lintTemplate('{\n"a": {{{json x}}} }')[0]).toMatch(/^line 2: triple braces/);
    expect(lintTemplate('{"a": "{{md name}}", "b": {{json v}}{{#each xs}}{{text this}}{{/each}} }')).toEqual([]);
  });
});

describe('card checks', () => {
  const card = (elements: unknown[]) => ({ schema: '2.0', body: { elements } });
  it('accepts a plain card and refuses what Lark would refuse', () => {
    expect(checkCard(card([{ tag: 'markdown', content: 'x' }]))).toEqual([]);
    expect(checkCard({ schema: '1.0' })).toContain('schema must be "2.0"');
    expect(checkCard(card(Array.from({ length: 201 }, () => ({ tag: 'hr' }))))[0]).toMatch(/201 elements/);
    expect(checkCard(card([{ tag: 'markdown', content: 'x'.repeat(31_000) }]))[0]).toMatch(/over the 30720-byte limit/);
    expect(
      checkCard(
        card([
          { tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'form', name: 'f', elements: [] }] }] },
        ]),
      ).join(),
    ).toMatch(/form must sit directly/);
    expect(
      checkCard(
        card([
          {
            tag: 'form',
            name: 'f',
            elements: [
              { tag: 'input', name: 'a' },
              { tag: 'input', name: 'a' },
              { tag: 'button', name: 's', form_action_type: 'submit' },
            ],
          },
        ]),
      ).join(),
    ).toMatch(/not unique/);
    expect(checkCard(card([{ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'a' }] }])).join()).toMatch(
      /submit button/,
    );
    expect(checkCard(card([{ tag: 'multi_select_static', name: 'm', options: [] }])).join()).toMatch(
      /only inside a form/,
    );
  });
});
