/**
 * The errors a user's input raises: {@link ConfigError} (every problem of a config file at once)
 * and {@link UsageError} (bad arguments or environment). Both mean exit code 2 and are printed
 * without a stack trace. Problems themselves, and how they are printed, live in `problems.ts`.
 */
import { formatProblem, type Problem } from "./problems";

export { formatPath, formatProblem, showValue, stripLeadingName, type Problem } from "./problems";

/**
 * Bad user input: every problem of one input, reported together. The CLI and `main.ts` print
 * `message` without a stack trace and exit 2.
 */
export class ConfigError extends Error {
  /** Exit code the CLI uses for bad usage or config. */
  readonly exitCode = 2;

  constructor(
    /** The problems, in document order. */
    readonly problems: readonly Problem[],
  ) {
    const file = problems[0]?.file ?? "config";
    const head = problems.length === 1 ? `${file}: 1 problem` : `${file}: ${problems.length} problems`;
    super([head, ...problems.map((p) => "  " + formatProblem(p))].join("\n"));
    this.name = "ConfigError";
  }
}

/** Bad usage of a command (arguments, environment): the CLI prints the message and exits 2. */
export class UsageError extends Error {
  /** Exit code the CLI uses for bad usage or config. */
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
