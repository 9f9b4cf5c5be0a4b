import { describe, expect, it } from 'vitest';
import { COMMENT_LIMIT, commentMarker, fitCommentBody } from './sticky-comment.js';
import { pullRequestOf } from './event.js';

describe('sticky comment body', () => {
  it('marks the comment with a hidden marker', () => {
    expect(commentMarker()).toBe('<!-- ferry:content-review -->');
    expect(commentMarker('prod-plan')).toBe('<!-- ferry:prod-plan -->');
    expect(() => commentMarker('x -->')).toThrow(/Invalid comment marker/);
    expect(fitCommentBody('<!-- m -->', '# hi\n')).toEqual({ body: '<!-- m -->\n# hi\n', truncated: false });
  });

  it('cuts a long body under the limit, closing an open code block and <details>', () => {
    const long = `# Report\n<details><summary>x</summary>\n\n\`\`\`diff\n${'+ a line of text\n'.repeat(10_000)}\`\`\`\n</details>\n`;
    const { body, truncated } = fitCommentBody('<!-- m -->', long, 'See the artifact.');
    expect(truncated).toBe(true);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith('<!-- m -->\n# Report')).toBe(true);
    expect((body.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(body).toContain('</details>');
    expect(body.trimEnd().endsWith('See the artifact.')).toBe(true);
  });
});

describe('event payloads', () => {
  it('reads the pull request of a pull_request payload', () => {
    const payload = {
      action: 'synchronize',
      number: 7,
      pull_request: { number: 7, base: { ref: 'main', sha: 'b'.repeat(40) }, head: { ref: 'feature', sha: 'h'.repeat(40), repo: { full_name: 'acme/content' } } },
    };
    expect(pullRequestOf(payload)).toEqual({ number: 7, baseRef: 'main', baseSha: 'b'.repeat(40), headRef: 'feature', headSha: 'h'.repeat(40), headRepository: 'acme/content' });
    expect(pullRequestOf({ ref: 'refs/heads/main', after: 'a'.repeat(40) })).toBeUndefined();
    expect(pullRequestOf({ issue: { number: 9, pull_request: { url: 'x' } } })).toEqual({ number: 9 });
  });
});
