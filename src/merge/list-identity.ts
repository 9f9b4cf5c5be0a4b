/**
 * Which list elements are "the same element" on the three sides of a merge. Lists are merged
 * element by element only when every element has an identity, unique in its list; any other list
 * is one value.
 *
 * Today's model has two such lists: content type `fields` (maps with a `guid`) and lists of
 * unique scalars (reference guids, taxonomy tags, channel languages and domains, allowed types).
 * The rule is by shape, not by kind or path, so it extends as the model grows: blocks inside
 * rich text or a modular-content field and content folder entries carry a `guid` too, and merge
 * by it with no change here; a list keyed by another property needs one line in `identityOf`.
 */
export interface IdentityRule {
  /** The identity of a list element, or `undefined` when it has none. */
  of(element: unknown): string | undefined;
  /** How the element is named in a conflict path, e.g. `body` for a field definition. */
  pathToken(id: string, element: unknown): string;
  /** What concurrent insertions at one place are ordered by (code point order). */
  order(element: unknown, id: string): string;
}

/** The identity rule of Ferry's content model. */
export const CONTENT_IDENTITY: IdentityRule = {
  of: identityOf,
  pathToken(id, element) {
    return isRecord(element) && typeof element.name === 'string' ? element.name : id.slice(2);
  },
  order(element, id) {
    return isRecord(element) && typeof element.name === 'string' ? element.name : id.slice(2);
  },
};

function identityOf(element: unknown): string | undefined {
  if (typeof element === 'string') return `s:${element}`;
  if (typeof element === 'number' || typeof element === 'boolean') return `${typeof element === 'number' ? 'n' : 'b'}:${String(element)}`;
  if (isRecord(element) && typeof element.guid === 'string') return `g:${element.guid}`;
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
