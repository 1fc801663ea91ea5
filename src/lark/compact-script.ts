import ts from 'typescript';

/**
 * The same CommonJS script without its comments and with every non-ASCII character written as a `\u` escape. V8 keeps
 * a script's source in the heap for as long as the process runs (to compile functions lazily), and one character
 * outside Latin-1 makes it store the whole source at two bytes a character. The Lark SDK's bundle is 5.9 million
 * characters, a third of them in comments, some of those in Chinese: 11.2 MB of heap. Compacted it is 4.0 million
 * one-byte characters.
 * TypeScript parses and prints the script (no type checks, no down-levelling, no module transform): comments go, code
 * keeps its meaning. A `\u` escape means the same UTF-16 unit in strings, templates' values and regular expressions
 * (a character beyond the Basic Multilingual Plane as its two surrogates, as the script itself holds it) and the same
 * character in an identifier of that plane; only a template's raw text and a function's `toString` differ. An
 * identifier beyond that plane would not survive: the build checks that the result compiles (`write-lark-sdk.ts`).
 */
export function compactScript(source: string): string {
  const { outputText } = ts.transpileModule(source, {
    fileName: 'script.js',
    compilerOptions: {
      allowJs: true,
      removeComments: true,
      target: ts.ScriptTarget.ESNext,
      module: ts.ModuleKind.Preserve,
    },
  });
  return outputText.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
