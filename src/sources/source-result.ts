import type { ContainerLog } from '../model/cluster-model.js';
import type { KubeObject } from '../model/k8s.js';
import type { Locator } from '../model/source-location.js';

/** What every source hands the pipeline: redacted objects, logs, and what it could not read. */
export interface SourceResult {
  readonly objects: KubeObject[];
  readonly logs: ContainerLog[];
  /** Partial data, kinds that could not be read, files skipped: shown to the user. */
  readonly notes: string[];
  readonly locate?: Locator;
  /** When the state was captured (a bundle's creation time); scans of it judge ages against this. */
  readonly capturedAt?: Date;
}
