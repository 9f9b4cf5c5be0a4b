/** Small, valid objects for merge tests, and their canonical texts. */
import { encodeObjectText } from '../../format/index.js';
import type { ContentItem, ContentType, FerryObject } from '../../model/index.js';

export const ITEM_PATH = 'content/items/article/coffee-origins.yaml';
export const TYPE_PATH = 'content/content-types/article.yaml';

export const BODY = ['<p>Coffee grows in the bean belt.</p>', '<p>Ethiopia is where it began.</p>', '<p>Yemen traded it.</p>', '<p>Brazil grows the most.</p>', ''].join('\n');

export function item(): ContentItem {
  return {
    kind: 'contentItem',
    guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10',
    codeName: 'coffee-origins',
    contentType: 'article',
    workspace: 'editorial',
    fields: { heroImage: ['9b2d4a8e-1c7f-4e55-8d0a-2f3b6c9e1a44'], rating: 4 },
    variants: {
      'en-US': { status: 'published', displayName: 'Coffee origins', fields: { title: 'Coffee origins', body: BODY } },
    },
  };
}

export function contentType(): ContentType {
  return {
    kind: 'contentType',
    guid: '0d6c1f0e-7a4b-4c1e-9f2a-1b3c5d7e9f01',
    codeName: 'article',
    displayName: 'Article',
    usage: 'reusable',
    fields: [
      { guid: '11111111-1111-4111-8111-111111111111', name: 'title', type: 'text', required: true, localized: true },
      { guid: '22222222-2222-4222-8222-222222222222', name: 'body', type: 'richText', required: false, localized: true },
    ],
  };
}

export function text(o: FerryObject, path = ITEM_PATH): string {
  return encodeObjectText(o, path);
}

/** A structured copy to edit. */
export function edit<O extends FerryObject>(o: O, change: (copy: O) => void): O {
  const copy = structuredClone(o);
  change(copy);
  return copy;
}
