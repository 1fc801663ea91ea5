/**
 * Escaping for user text that lands in card JSON. Two layers: Lark markdown (so `<at id=all></at>`, `**`, links
 * and the like show literally instead of acting) and JSON string content (so `"}]`, backslashes and newlines
 * cannot break the document). Entities per the Lark markdown docs.
 */
const markdownEntities: Record<string, string> = {
  '<': '&#60;',
  '>': '&#62;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&sim;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '#': '&#35;',
  '`': '&#96;',
  '\\': '&#92;',
  '|': '&#124;',
  '!': '&#33;',
  $: '&#36;',
  '&': '&#38;',
  ':': '&#58;',
};

export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[<>*_~[\]()#`\\|!$&:]/g, (c) => markdownEntities[c]!)
      // List markers act only at the start of a line and before a space ("1. ", "- "); "92.50%" stays as it is.
      .replace(/^(\s*)([-+])(?=\s)/gm, (_, s: string, c: string) => `${s}&#${c.charCodeAt(0)};`)
      .replace(/^(\s*\d+)\.(?=\s)/gm, '$1&#46;')
  );
}

/** The inside of a JSON string literal: safe between the quotes of a template. */
export function jsonInner(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
