// Regenerates docs/rules/ from the rules' metadata (npm run docs).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDocs } from '../dist/cli/docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const docs = generateDocs(root);
const dir = join(root, 'docs', 'rules');
mkdirSync(dir, { recursive: true });
for (const file of readdirSync(dir)) if (file.endsWith('.md')) rmSync(join(dir, file));
for (const [path, text] of docs) writeFileSync(join(root, path), text);
console.log(`wrote ${docs.size} files to docs/rules/`);
