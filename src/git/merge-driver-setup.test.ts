import { describe, expect, it } from 'vitest';
import { addGitattributesLines, mergeAttributeLine, mergeDriverCommand } from './merge-driver-setup.js';

describe('the merge driver attribute', () => {
  it('names the repository folder, or every YAML file when the folder is the root', () => {
    expect(mergeAttributeLine('content')).toBe('content/**/*.yaml merge=ferry');
    expect(mergeAttributeLine('./site/content/')).toBe('site/content/**/*.yaml merge=ferry');
    expect(mergeAttributeLine('.')).toBe('*.yaml merge=ferry');
  });

  it('is added once to an existing .gitattributes, keeping its lines', () => {
    const existing = '*.png binary\ncontent/**/*.yaml text eol=lf diff=ferry';
    const next = addGitattributesLines(existing, ['content/**/*.yaml merge=ferry'], '# Ferry');
    expect(next).toBe('*.png binary\ncontent/**/*.yaml text eol=lf diff=ferry\n# Ferry\ncontent/**/*.yaml merge=ferry\n');
    expect(addGitattributesLines(next!, ['content/**/*.yaml   merge=ferry'], '# Ferry')).toBeUndefined();
    expect(addGitattributesLines('', ['a merge=ferry'])).toBe('a merge=ferry\n');
  });

  it('runs merge-file with git’s placeholders', () => {
    expect(mergeDriverCommand('npx --no-install ferry')).toBe('npx --no-install ferry merge-file %O %A %B --path %P');
  });
});
