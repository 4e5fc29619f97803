// The error types every muniops command uses. The CLI maps them to exit codes and to one clear line:
// users see what they got wrong, never a stack trace (that is what --debug is for).

export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A user mistake: a bad flag, file, key or value. Exit 2. The message names the culprit and what is valid. */
export class UsageError extends Error {
  readonly exitCode: ExitCode = ExitCode.usage;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}

/**
 * A valid request that conflicts with the state it would change: a closed month, a close out of order.
 * Exit 2 like any user mistake; the dashboard answers 409 (by class, never by the message's wording).
 */
export class ConflictError extends UsageError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConflictError";
  }
}

export interface ConfigProblem {
  /** Where the value came from: a flag (`--port`), an environment variable, or `file.yaml:LINE`. */
  source: string;
  /** The dotted key path, e.g. `dashboard.port`. */
  path: string;
  message: string;
}

/** Invalid configuration: every problem is listed, not just the first. Exit 2. */
export class ConfigError extends UsageError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => `  ${p.source}: ${p.path}: ${p.message}`);
    super([`invalid configuration (${count}):`, ...lines].join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** The command ran but did not succeed (a host failed, an audit found violations). Exit 1. */
export class OperationFailedError extends Error {
  readonly exitCode: ExitCode = ExitCode.failure;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "OperationFailedError";
  }
}

/** Prefix a cause with context in the style "couldn't read inventory: <cause>", keeping the error's class. */
export function withContext(context: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UsageError && !(error instanceof ConfigError))
    return new UsageError(`${context}: ${message}`, { cause: error });
  if (error instanceof OperationFailedError)
    return new OperationFailedError(`${context}: ${message}`, { cause: error });
  if (error instanceof ConfigError) return error;
  return new Error(`${context}: ${message}`, { cause: error });
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError || error instanceof OperationFailedError) return error.exitCode;
  return ExitCode.failure;
}
