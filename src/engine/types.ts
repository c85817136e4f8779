import type { ClusterModel, ModelSource } from '../model/cluster-model.js';
import type { KubeObject } from '../model/k8s.js';
import type { ObjectRef } from '../model/object-ref.js';
import type { FieldPath, SourceLocation } from '../model/source-location.js';

export const severities = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];

export const categories = ['pods', 'workloads', 'networking', 'config', 'nodes', 'addons', 'knowledge'] as const;
export type Category = (typeof categories)[number];

/** Values a message or command template may interpolate. */
export type TemplateData = Readonly<Record<string, string | number>>;

export interface CommandTemplate {
  readonly description: string;
  readonly command: string;
}

export interface FixTemplate {
  readonly description: string;
  readonly command?: string;
  /** true when the command changes the cluster (kubetriage never runs it). */
  readonly mutates?: boolean;
}

/** One distinguishable cause a rule can name, with its own explanation and fix. */
export interface CauseRunbook {
  readonly title: string;
  readonly rootCause: string;
  readonly fix: readonly FixTemplate[];
}

/**
 * The knowledge behind a rule, written once and filled per finding. Text may hold
 * `{{placeholders}}` that the finding's data fills (namespace, name, kind and kubectlName
 * are always there).
 */
export interface Runbook<C extends string = string> {
  readonly symptoms: string;
  readonly rootCause: string;
  readonly diagnosis: readonly CommandTemplate[];
  readonly fix: readonly FixTemplate[];
  readonly prevention: string;
  readonly causes?: Readonly<Record<C, CauseRunbook>>;
}

export interface RuleMeta {
  readonly title: string;
  /** One sentence: what the rule detects. */
  readonly description: string;
  readonly category: Category;
  readonly severity: Severity;
  /** Where the rule runs: cluster state (live or snapshot), manifests before deploy, or both. */
  readonly sources: readonly ModelSource[];
}

export interface RuleContext {
  /** The time of the scan (injected; rules never read the clock). */
  readonly now: Date;
  /** Options given on the command line or in config, by name (e.g. nodeCost, repoVersions). */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface FixStep {
  readonly description: string;
  readonly command?: string;
  readonly mutates: boolean;
}

/** What a rule's detect() yields; the engine turns it into a Finding. */
export interface Detection<M extends string = string, C extends string = string> {
  readonly subject: KubeObject;
  /** The offending field inside the subject, for file:line:column on manifests. */
  readonly path?: FieldPath;
  readonly messageId: M;
  readonly data?: TemplateData;
  /** Which of the runbook's causes this is; its rootCause and fix are used. */
  readonly cause?: C;
  readonly evidence?: readonly string[];
  /** Fix steps beyond the runbook's (already concrete). They come first. */
  readonly fix?: readonly FixStep[];
  readonly severity?: Severity;
  /** Distinguishes several findings of one rule on one object (a container name, a key). */
  readonly key?: string;
  /**
   * Objects whose own findings explain this one (root cause first in the report). A plain
   * object stands for its most severe findings; `{ object, rules }` for its findings of
   * those rules only (a copy blamed for a reservation: its duplicate-workload finding).
   */
  readonly causedBy?: readonly Cause[];
}

/** An object named as a cause, with the rules whose findings on it explain the effect. */
export interface CauseRef {
  readonly object: KubeObject;
  readonly rules: readonly string[];
}

export type Cause = KubeObject | CauseRef;

export interface RuleDefinition<M extends string = string, C extends string = string> {
  readonly id: string;
  readonly meta: RuleMeta;
  readonly messages: Readonly<Record<M, string>>;
  readonly runbook: Runbook<C>;
  readonly detect: (model: ClusterModel, context: RuleContext) => Iterable<Detection<M, C>>;
}

/** A rule as the registry holds it, its type parameters erased. */
export interface Rule {
  readonly id: string;
  readonly meta: RuleMeta;
  readonly messages: Readonly<Record<string, string>>;
  readonly runbook: Runbook;
  readonly detect: (model: ClusterModel, context: RuleContext) => Iterable<Detection>;
}

/** A knowledge entry: a runbook served by `explain` only, with no detector. */
export interface KnowledgeEntry {
  readonly id: string;
  readonly meta: Omit<RuleMeta, 'sources' | 'severity'> & { readonly severity: Severity };
  readonly runbook: Runbook;
}

export interface Finding {
  readonly id: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  readonly category: Category;
  readonly object: ObjectRef;
  readonly message: string;
  readonly evidence: readonly string[];
  readonly rootCause: string;
  readonly fix: readonly FixStep[];
  /** Ids of the findings that cause this one. */
  causedBy: string[];
  readonly location?: SourceLocation;
  /** Which cause of the rule's runbook this is (not part of the JSON contract). */
  readonly cause?: string;
}

export interface SourceInfo {
  readonly type: 'live' | 'snapshot' | 'manifests' | 'demo';
  readonly name: string;
}

export interface ScanResult {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'kubetriage'; readonly version: string };
  readonly source: SourceInfo;
  readonly generatedAt: string;
  readonly summary: { readonly critical: number; readonly warning: number; readonly info: number; readonly objects: number };
  readonly findings: readonly Finding[];
  readonly notes: readonly string[];
}
