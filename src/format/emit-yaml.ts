/**
 * The reference writer: the canonical tree → YAML text through the `yaml` package's Document API,
 * each string scalar with the style `stringStyle` chose. It defines the canonical bytes; the fast
 * writer (emit-fast.ts) must produce exactly the same text and hands anything unusual back here.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type ToStringOptions } from 'yaml';
import { InternalError } from '../errors/index.js';
import { describeValue, isPlainObject, Ordered, sortedEntries, type Entries } from './canonical-tree.js';
import { escapeRawChar, RAW_UNSAFE_CHARS, stringStyle } from './scalar-style.js';

type YamlNode = Scalar | YAMLMap | YAMLSeq;

const TO_STRING: ToStringOptions = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 0,
  singleQuote: false,
  // Keep double-quoted strings on one line (escaped `\n`), never folded.
  doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY,
};

/** The YAML text (without the header comment) of a canonical tree. */
export function emitWithYaml(root: Ordered): string {
  const doc = new Document();
  doc.contents = mapNode(root.entries);
  return doc.toString(TO_STRING).replace(RAW_UNSAFE_CHARS, escapeRawChar);
}

function mapNode(entries: Entries): YAMLMap {
  const map = new YAMLMap();
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    map.items.push(new Pair(stringNode(key, true), valueNode(value)));
  }
  return map;
}

/** Any value: ordered maps keep their order, plain objects (field values) are sorted by key. */
function valueNode(value: unknown): YamlNode {
  if (value instanceof Ordered) return mapNode(value.entries);
  switch (typeof value) {
    case 'string':
      return stringNode(value, false);
    case 'number':
      // -0 is written `0`: `yaml` reads `-0` as 0 while js-yaml keeps -0.
      return new Scalar(Object.is(value, -0) ? 0 : value);
    case 'boolean':
      return new Scalar(value);
    case 'object': {
      if (value === null) return new Scalar(null);
      if (Array.isArray(value)) {
        const seq = new YAMLSeq();
        for (const item of value) seq.items.push(item === undefined ? new Scalar(null) : valueNode(item));
        return seq;
      }
      if (isPlainObject(value)) return mapNode(sortedEntries(value));
      break;
    }
  }
  throw new InternalError(`cannot encode a value of type ${describeValue(value)} in a Ferry file`);
}

function stringNode(s: string, isKey: boolean): Scalar {
  const node = new Scalar(s);
  node.type = stringStyle(s, isKey);
  return node;
}
