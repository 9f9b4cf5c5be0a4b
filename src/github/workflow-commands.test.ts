import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, workflowCommand } from './workflow-commands.js';

describe('workflow commands', () => {
  it('escapes the message and the properties as the runner unescapes them', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('writes one command line with the properties that have values', () => {
    expect(workflowCommand('error', { file: 'content/a.yaml', line: 3, col: undefined, title: 'FERRY_E_X: y' }, 'bad\nvalue')).toBe(
      '::error file=content/a.yaml,line=3,title=FERRY_E_X%3A y::bad%0Avalue\n',
    );
    expect(workflowCommand('group', {}, 'Plan')).toBe('::group::Plan\n');
  });
});
