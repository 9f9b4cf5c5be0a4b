// The three versions of a 100 KB rich-text item the merge bench uses: ours edits a paragraph near
// the start and the title, theirs one near the end and adds a Spanish variant (a clean merge).
export function mergeInputs(encodeObjectText) {
  const paragraphs = [];
  for (let i = 0; paragraphs.join('\n').length < 100_000; i++) {
    paragraphs.push(`<p>Paragraph ${i}: coffee grows in the bean belt, between the tropics, on farm number ${i * 7919 % 10007}.</p>`);
  }
  const item = (body, title, extra = {}) => ({
    kind: 'contentItem',
    guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10',
    codeName: 'long-read',
    contentType: 'article',
    workspace: 'editorial',
    fields: {},
    variants: { 'en-US': { status: 'published', displayName: 'A long read', fields: { title, body: `${body.join('\n')}\n` } }, ...extra },
  });
  const edit = (i, s) => paragraphs.map((p, j) => (j === i ? s : p));
  const path = 'content/items/article/long-read.yaml';
  const base = encodeObjectText(item(paragraphs, 'A long read'), path);
  const ours = encodeObjectText(item(edit(10, '<p>Edited near the start.</p>'), 'A long read, fixed'), path);
  const theirs = encodeObjectText(
    item(edit(paragraphs.length - 10, '<p>Edited near the end.</p>'), 'A long read', { 'es-ES': { status: 'draft', displayName: 'Una lectura larga', fields: { title: 'Una lectura larga' } } }),
    path,
  );
  return { base, ours, theirs, path, bytes: Buffer.byteLength(base) };
}
