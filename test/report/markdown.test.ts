import type { Token, Tokens } from 'marked';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { buildChains } from '../../src/engine/chains.js';
import type { ChainNode } from '../../src/engine/chains.js';
import type { ScanResult } from '../../src/engine/types.js';
import { severities } from '../../src/engine/types.js';
import { escapeMarkdown, escapeMarkdownBlock, fencedBlock, inlineCode, renderMarkdown } from '../../src/report/markdown.js';
import { commandsInReportOrder, demoResult, hostile, runCli, syntheticResult, withHostileValues } from './results.js';

const walk = (tokens: readonly Token[], visit: (token: Token) => void): void => {
  for (const token of tokens) {
    visit(token);
    const nested = token as { tokens?: Token[]; items?: Token[]; header?: { tokens: Token[] }[]; rows?: { tokens: Token[] }[][] };
    if (nested.tokens) walk(nested.tokens, visit);
    if (nested.items) walk(nested.items, visit);
    for (const cell of nested.header ?? []) walk(cell.tokens, visit);
    for (const row of nested.rows ?? []) for (const cell of row) walk(cell.tokens, visit);
  }
};

const ofType = <T extends Token>(tokens: readonly Token[], type: string): T[] => {
  const found: T[] = [];
  walk(tokens, (t) => {
    if (t.type === type) found.push(t as T);
  });
  return found;
};

const depth = (node: ChainNode): number => 1 + Math.max(0, ...node.effects.map(depth));
const listDepth = (list: Tokens.List): number =>
  1 + Math.max(0, ...list.items.flatMap((item) => item.tokens.filter((t): t is Tokens.List => t.type === 'list').map(listDepth)));

function expectStructure(result: ScanResult): Token[] {
  const markdown = renderMarkdown(result);
  const tokens = marked.lexer(markdown);
  // The summary table: one row per severity and a total, counts as in the result.
  const table = ofType<Tokens.Table>(tokens, 'table')[0];
  expect(table?.header.map((c) => c.text)).toEqual(['Severity', 'Findings']);
  expect(table?.rows.map((row) => row[1]?.text)).toEqual([...severities.map((s) => String(result.summary[s])), `**${result.findings.length}**`]);
  // One second-level heading per chain, and each chain's tree as a list nested as deep as the chain.
  const chains = buildChains(result.findings);
  const chainHeadings = ofType<Tokens.Heading>(tokens, 'heading').filter((t) => t.depth === 2 && /^(Root cause|Finding) \d+ of \d+/.test(t.text));
  expect(chainHeadings).toHaveLength(chains.length);
  chains.forEach((chain, index) => {
    const heading = chainHeadings[index];
    const list = heading ? tokens[tokens.indexOf(heading) + 1 + (tokens[tokens.indexOf(heading) + 1]?.type === 'space' ? 1 : 0)] : undefined;
    expect(list?.type).toBe('list');
    expect(listDepth(list as Tokens.List)).toBe(depth(chain));
  });
  // Every command, exactly, in a fenced sh block, in the order the chains show the findings.
  const commands = commandsInReportOrder(result.findings);
  expect(commands).toHaveLength(result.findings.flatMap((f) => f.fix.filter((s) => s.command !== undefined)).length);
  const blocks = ofType<Tokens.Code>(tokens, 'code');
  expect(blocks.map((b) => b.text)).toEqual(commands);
  for (const block of blocks) expect(block.lang).toBe('sh');
  return tokens;
}

describe('the Markdown report', () => {
  it('renders the demo scan as the CLI prints it: table, chains, fenced commands', async () => {
    const result = await demoResult();
    const printed = await runCli(['scan', '--demo', '--format', 'markdown']);
    expect(printed).toBe(renderMarkdown(result));
    expectStructure(result);
    // Each message, escaped as Markdown (BETTER_AUTH_SECRET is written BETTER\_AUTH\_SECRET and renders as itself).
    for (const finding of result.findings) expect(printed).toContain(escapeMarkdown(finding.message));
  });

  it('draws root-cause chains as nested lists, root first', () => {
    const result = syntheticResult(20);
    const tokens = expectStructure(result);
    const lists = ofType<Tokens.List>(tokens, 'list').filter((t) => /^\*\*[A-Z]+\*\*/.test(t.items[0]?.text ?? ''));
    const root = result.findings[0];
    const effect = result.findings[3];
    expect(lists[0]?.items[0]?.text).toContain(root?.message);
    const nested = lists[0]?.items[0]?.tokens.find((t): t is Tokens.List => t.type === 'list');
    expect(nested?.items.map((i) => i.text.split('\n')[0])).toEqual(
      result.findings.slice(1, 5).filter((f) => f.causedBy.includes(root?.id ?? '')).map((f) => expect.stringContaining(f.message) as unknown),
    );
    expect(JSON.stringify(nested)).toContain(effect?.message);
  });

  it('escapes Markdown and HTML in every value: no tag, link, emphasis or table break comes from the cluster', async () => {
    const demo = await demoResult();
    const result = withHostileValues(demo);
    const clean = { ...demo, notes: [...demo.notes, 'a plain note'] };
    const tokens = expectStructure(result);
    // Hostile values add no markup: the same emphasis, links and tags as the clean report
    // (a bare URL autolinked by GitHub shows exactly where it goes, so it does not count).
    const markup = (all: readonly Token[]): Record<string, number> => {
      const counts: Record<string, number> = {};
      for (const type of ['html', 'link', 'em', 'strong', 'image', 'del', 'table', 'heading', 'blockquote']) {
        counts[type] = ofType(all, type).filter((t) => !(t.type === 'link' && (t as Tokens.Link).text === (t as Tokens.Link).href)).length;
      }
      return counts;
    };
    expect(markup(tokens)).toEqual(markup(marked.lexer(renderMarkdown(clean))));
    expect(ofType(tokens, 'html')).toEqual([]);
    const html = marked.parse(renderMarkdown(result), { async: false });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    // Read as text, the rendered report carries every hostile value verbatim.
    const text = html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    expect(text).toContain(result.findings[0]?.message ?? '');
    expect(text.split(hostile).length - 1).toBeGreaterThanOrEqual(1 + 4 * result.findings.length);
  });

  it('keeps values inline and block markers literal', () => {
    const render = (markdown: string): string => marked.parse(markdown, { async: false }).trim();
    expect(render(escapeMarkdown('a\nb | c'))).toBe('<p>a b | c</p>');
    expect(render(`- ${escapeMarkdownBlock('# not a heading')}`)).toBe('<ul>\n<li># not a heading</li>\n</ul>');
    expect(render(`- ${escapeMarkdownBlock('1. not a list')}`)).toBe('<ul>\n<li>1. not a list</li>\n</ul>');
    expect(render(`- ${escapeMarkdownBlock('- nor this')}`)).toBe('<ul>\n<li>- nor this</li>\n</ul>');
    expect(render(inlineCode('a `b` c'))).toBe('<p><code>a `b` c</code></p>');
    expect(marked.lexer(fencedBlock('echo ```\nx', 'sh'))[0]).toMatchObject({ type: 'code', text: 'echo ```\nx' });
  });

  it('says so when nothing is wrong', () => {
    const result = { ...syntheticResult(0), notes: ['secrets: forbidden (RBAC)'] };
    const markdown = renderMarkdown(result);
    expect(markdown).toContain('No problems found.');
    expect(markdown).toContain('## Notes');
    expect(markdown).toContain('- secrets: forbidden (RBAC)');
  });
});
