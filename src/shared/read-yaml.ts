import YAML, { type YAMLError } from 'yaml';
import { builtYaml } from './build-cache.ts';

/**
 * A YAML file's value and its syntax errors (none, or no value). A text unchanged since the build comes from the build
 * cache without parsing.
 */
export function readYaml(
  text: string,
  opts: { prettyErrors?: boolean } = {},
): { value?: unknown; errors: YAMLError[] } {
  const built = builtYaml(text);
  if (built !== undefined) return { value: built, errors: [] };
  const doc = YAML.parseDocument(text, opts);
  return doc.errors.length ? { errors: doc.errors } : { value: doc.toJS(), errors: [] };
}
