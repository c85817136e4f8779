import type { KubeObject } from './k8s.js';

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** A field inside an object: `['spec', 'template', 'spec', 'containers', 0, 'image']`. */
export type FieldPath = readonly (string | number)[];

/** Maps an object (and optionally a field in it) to where it was written. */
export type Locator = (object: KubeObject, path: FieldPath) => SourceLocation | undefined;
