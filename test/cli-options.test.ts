import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { parseNodeAllocatable, parseNodeCost, ruleOptions } from '../src/cli/options.js';
import { UsageError } from '../src/errors.js';

const mi = 2 ** 20;

describe('--node-cost', () => {
  it('takes a positive monthly price', () => {
    expect(parseNodeCost('70')).toBe(70);
    expect(parseNodeCost('140.16')).toBe(140.16);
  });
  it.each(['abc', '0', '-5', '70€', ''])('rejects %j with a usage error (exit 2)', (value) => {
    expect(() => parseNodeCost(value)).toThrow(UsageError);
    expect(() => parseNodeCost(value)).toThrow('expected the monthly price of one node');
  });
});

describe('--node-allocatable', () => {
  it('parses Kubernetes quantities and an optional node count', () => {
    expect(parseNodeAllocatable('cpu=1500m,memory=5792Mi')).toEqual({ cpu: 1.5, memory: 5792 * mi });
    expect(parseNodeAllocatable('cpu=2, memory=4Gi, nodes=3')).toEqual({ cpu: 2, memory: 4096 * mi, nodes: 3 });
  });
  it.each([
    ['cpu=2', 'memory is missing'],
    ['cpu=2,memory=lots', 'memory=lots is not a positive Kubernetes quantity'],
    ['cpu=2,memory=4Gi,gpu=1', 'unknown key "gpu"'],
    ['cpu=2,memory=4Gi,nodes=1.5', 'nodes=1.5 is not a whole number'],
    ['cpu=2,cpu=3,memory=4Gi', '"cpu" given twice'],
    ['2 cores', 'is not key=value'],
  ])('rejects %j: %s', (value, message) => {
    expect(() => parseNodeAllocatable(value)).toThrow(UsageError);
    expect(() => parseNodeAllocatable(value)).toThrow(message);
  });
});

describe('rule options', () => {
  it('passes only what was given', () => {
    expect(ruleOptions({})).toEqual({});
    expect(ruleOptions({ nodeCost: '70', nodeAllocatable: 'cpu=2,memory=4Gi' })).toEqual({ nodeCost: 70, nodeAllocatable: { cpu: 2, memory: 4096 * mi } });
  });
  it('names a --repo that is not a directory', () => {
    expect(() => ruleOptions({ repo: '/nonexistent/kubetriage-repo' })).toThrow('/nonexistent/kubetriage-repo: expected a directory');
  });
});

function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env: { NO_COLOR: '1' }, cwd: process.cwd(), now: () => new Date('2026-11-23T09:30:00Z') };
  return main(argv, io).then((code) => ({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
}

describe('scan with rule options', () => {
  it('hands --node-cost to the rules', async () => {
    const { code, stdout } = await run(['scan', '--demo', '--format', 'json', '--node-cost', '70']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { findings: { rule: string; message: string }[] };
    const copies = result.findings.filter((f) => f.rule === 'duplicate-workload');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy.message).toContain('70/month');
  });
  it('exits 2 with the reason on a bad value', async () => {
    const { code, stderr } = await run(['scan', '--demo', '--node-allocatable', 'cpu=2']);
    expect(code).toBe(2);
    expect(stderr).toContain('kubetriage: --node-allocatable "cpu=2": memory is missing');
    expect(stderr).not.toContain('    at ');
  });
});
