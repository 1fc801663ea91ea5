export const CARD_MAX_BYTES = 30 * 1024;
export const CARD_MAX_ELEMENTS = 200;

/**
 * Pre-flight checks for card JSON 2.0 before it is queued: what Lark would refuse at send time (230099/230025)
 * or what breaks in the client (200530). Returns problems in English for logs and template authors.
 */
export function checkCard(card: unknown): string[] {
  const problems: string[] = [];
  if (!card || typeof card !== 'object') return ['card is not an object'];
  const c = card as Record<string, unknown>;
  if (c.schema !== '2.0') problems.push('schema must be "2.0"');
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > CARD_MAX_BYTES) problems.push(`card is ${bytes} bytes, over the ${CARD_MAX_BYTES}-byte limit`);
  let elements = 0;
  const names = new Set<string>();
  const walk = (node: unknown, path: string, insideForm: boolean, atRoot: boolean) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`, insideForm, atRoot));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const tag = o.tag;
    if (typeof tag === 'string') {
      elements++;
      if ((tag === 'form' || tag === 'table') && !atRoot)
        problems.push(`${path}: ${tag} must sit directly in body.elements`);
      if ((tag === 'multi_select_static' || tag === 'multi_select_person') && !insideForm)
        problems.push(`${path}: ${tag} works only inside a form`);
      if (insideForm && isInteractive(tag) && typeof o.name !== 'string')
        problems.push(`${path}: ${tag} inside a form needs a name`);
      if (typeof o.name === 'string' && tag !== 'form' && isInteractive(tag)) {
        if (names.has(o.name)) problems.push(`${path}: name "${o.name}" is not unique in the card`);
        names.add(o.name);
      }
      if (typeof o.element_id === 'string' && !/^[A-Za-z][A-Za-z0-9_]{0,19}$/.test(o.element_id))
        problems.push(`${path}: bad element_id "${o.element_id}"`);
      if (tag === 'form' && !JSON.stringify(o.elements ?? []).includes('"form_action_type":"submit"'))
        problems.push(`${path}: form needs a submit button`);
    }
    for (const [k, v] of Object.entries(o)) {
      if (v && typeof v === 'object')
        walk(v, `${path}.${k}`, insideForm || tag === 'form', path === 'body' && k === 'elements');
    }
  };
  walk(c.body, 'body', false, false);
  walk(c.header, 'header', false, false);
  if (elements > CARD_MAX_ELEMENTS)
    problems.push(`card has ${elements} elements, over the ${CARD_MAX_ELEMENTS}-element limit`);
  return problems;
}

const interactive = new Set([
  'button',
  'input',
  'select_static',
  'multi_select_static',
  'select_person',
  'multi_select_person',
  'date_picker',
  'picker_time',
  'picker_datetime',
  'checker',
  'overflow',
  'select_img',
]);
const isInteractive = (tag: string) => interactive.has(tag);
