// Every error a person can act on has a type here and leaves through the CLI's one exit
// point with its exit code. Anything else is a bug and is reported as InternalError.

export abstract class KubetriageError extends Error {
  abstract readonly exitCode: number;
}

/** Wrong flags, unknown rule ids, a missing argument. */
export class UsageError extends KubetriageError {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

export interface InputPosition {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly byte?: number;
}

/** Input that cannot be read: names the file, where in it, and what was expected. */
export class InputError extends KubetriageError {
  override readonly name = 'InputError';
  readonly exitCode = 2;
  readonly position: InputPosition;

  constructor(position: InputPosition, problem: string) {
    super(`${formatPosition(position)}: ${problem}`);
    this.position = position;
  }
}

/** The cluster could not be reached or refused us entirely (single kinds denied are notes, not errors). */
export class ClusterError extends KubetriageError {
  override readonly name = 'ClusterError';
  readonly exitCode = 2;
}

export class InternalError extends KubetriageError {
  override readonly name = 'InternalError';
  readonly exitCode = 3;
}

export function formatPosition(position: InputPosition): string {
  let text = position.file;
  if (position.line !== undefined) {
    text += `:${position.line}`;
    if (position.column !== undefined) text += `:${position.column}`;
  } else if (position.byte !== undefined) {
    text += ` (byte ${position.byte})`;
  }
  return text;
}
