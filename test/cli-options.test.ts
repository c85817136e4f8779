import { describe, expect, it } from 'vitest';
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
