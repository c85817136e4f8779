import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDocs } from '../src/cli/docs.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('docs/rules', () => {
  const docs = generateDocs(root);

  it('are exactly the generated files (run `npm run docs` when this fails)', () => {
    const onDisk = readdirSync(join(root, 'docs', 'rules')).filter((f) => f.endsWith('.md')).sort();
    expect(onDisk).toEqual([...docs.keys()].map((p) => p.split('/').at(-1)).sort());
  });

  for (const [path, text] of docs) {
    it(`${path} is up to date`, () => {
      expect(readFileSync(join(root, path), 'utf8'), 'stale: run `npm run docs`').toBe(text);
    });
  }
});
