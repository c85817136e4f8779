import { describe, expect, it } from 'vitest';
import { fillTemplate } from './template.js';

describe('fillTemplate', () => {
  it('fills known placeholders (spaces inside the braces allowed) and leaves unknown ones as written', () => {
    expect(fillTemplate('kubectl -n {{namespace}} rollout undo {{ kubectlName }}', { namespace: 'shop', kubectlName: 'deployment/api' }))
      .toBe('kubectl -n shop rollout undo deployment/api');
    expect(fillTemplate('{{a}}{{b}} and {{missing}}', { a: 1, b: 'x' })).toBe('1x and {{missing}}');
    expect(fillTemplate('no placeholder here', { a: 1 })).toBe('no placeholder here');
    expect(fillTemplate('{{a}}', { a: 0 })).toBe('0');
  });

  it('gives the same text on every call (templates are compiled once)', () => {
    const template = 'pod {{pod}} on {{node}}: {{pod}} again';
    expect(fillTemplate(template, { pod: 'p1', node: 'n1' })).toBe('pod p1 on n1: p1 again');
    expect(fillTemplate(template, { pod: 'p2' })).toBe('pod p2 on {{node}}: p2 again');
  });
});
