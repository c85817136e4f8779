// Kubernetes resource quantities ("100m", "1.5", "128Mi", "1G", "2e3") as plain numbers:
// cpu in cores, memory in bytes. Unparseable input gives undefined, never NaN.

const binarySuffix: Readonly<Record<string, number>> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const decimalSuffix: Readonly<Record<string, number>> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

const quantityPattern = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** Clusters repeat a handful of quantities ("100m", "256Mi") over thousands of containers. */
const parsed = new Map<string, number | undefined>();
const parsedLimit = 10_000;

export function parseQuantity(value: string | number | undefined | null): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (parsed.has(value)) return parsed.get(value);
  const result = parseQuantityText(value);
  if (parsed.size < parsedLimit) parsed.set(value, result);
  return result;
}

function parseQuantityText(value: string): number | undefined {
  const match = quantityPattern.exec(value.trim());
  if (!match) return undefined;
  const [, digits = '', suffix = ''] = match;
  const base = Number(digits);
  const factor = binarySuffix[suffix] ?? decimalSuffix[suffix];
  if (!Number.isFinite(base) || factor === undefined) return undefined;
  return base * factor;
}

export function formatCpu(cores: number): string {
  if (cores >= 1 && Number.isInteger(cores)) return String(cores);
  return `${Math.round(cores * 1000)}m`;
}

export function formatMemory(bytes: number): string {
  const units: readonly [string, number][] = [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [unit, size] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)}${unit}`;
    }
  }
  return `${Math.round(bytes)}`;
}
