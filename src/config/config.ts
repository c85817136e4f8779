import type { Severity } from '../engine/types.js';

/** An object (or a set of them) whose findings are ignored, optionally for some rules only. */
export interface IgnoredObject {
  readonly kind?: string;
  readonly namespace?: string;
  /** Exact name, or a glob with `*`. */
  readonly name: string;
  /** Only these rules; all rules when absent. */
  readonly rules?: readonly string[];
  readonly reason?: string;
}

/** `.kubetriage.yaml`: what a team decided about its own findings. */
export interface KubetriageConfig {
  /** Where the config was read from (for messages). */
  readonly file?: string;
  readonly disabledRules: readonly string[];
  readonly severity: Readonly<Record<string, Severity>>;
  readonly ignoreNamespaces: readonly string[];
  readonly ignoreObjects: readonly IgnoredObject[];
  /** Options handed to rules through RuleContext.options (e.g. nodeAllocatable). */
  readonly ruleOptions: Readonly<Record<string, unknown>>;
  readonly failOn?: Severity;
}

export const emptyConfig: KubetriageConfig = {
  disabledRules: [],
  severity: {},
  ignoreNamespaces: [],
  ignoreObjects: [],
  ruleOptions: {},
};

export const configFileName = '.kubetriage.yaml';
