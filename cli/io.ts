import { clean } from "../lib/text";
import { apiUrlVariable, CommandFailure, describeGitHubError, isGitHubError } from "../lib/github/errors";
import type { GitHubContext } from "../lib/github/authentication";

export { CommandFailure, GitHubFailure } from "../lib/github/errors";

/** A stream a command writes to. */
export interface Output {
  write(text: string): unknown;
  /** Whether a person watches it (progress is shown only then). */
  readonly isTTY?: boolean;
}

/**
 * What a command gets from its caller: the environment and streams, and optionally a GitHub
 * client or client options (tests point them at a local stand-in).
 */
export interface CommandIO extends GitHubContext {
  readonly stdout: Output;
  readonly stderr: Output;
  /** The clock, for reports. @default () => new Date() */
  readonly now?: () => Date;
}

/** Formats rows as an aligned plain-text table. */
export function table(header: string[], rows: string[][], maxWidth = 60): string {
  const cut = (s: string) => (s.length > maxWidth ? s.slice(0, maxWidth - 1) + "…" : s);
  const all = [header, ...rows.map((r) => r.map((c) => cut(clean(c))))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ")).join("\n") + "\n";
}

/**
 * The exit code and the one line a failure prints: 2 for bad usage or config, 1 for GitHub, the
 * network or a tool the command depends on, 1 with "internal error" for a bug (its stack only
 * with TOKEN_POLICY_DEBUG).
 */
export function failureOf(e: unknown, env: NodeJS.ProcessEnv): { code: number; message: string } {
  const err = e as { exitCode?: number; name?: string; message?: string; stack?: string };
  if (typeof err.exitCode === "number" && (err.name === "ConfigError" || err.name === "UsageError" || e instanceof CommandFailure)) {
    return { code: err.exitCode, message: `error: ${err.message}` };
  }
  if (isGitHubError(e))
    return {
      code: 1,
      message: `error: ${describeGitHubError(e, { appId: env.APP_ID, apiUrl: env.TOKEN_POLICY_API_URL || env.GITHUB_API_URL, apiUrlVariable: apiUrlVariable(env) })}`,
    };
  return { code: 1, message: `internal error: ${err.message ?? String(e)}${env.TOKEN_POLICY_DEBUG ? `\n${err.stack}` : ""}` };
}

/**
 * What a command run with `--json` prints on stdout when it fails before printing its own
 * document: `{ "error": …, "exitCode": … }`, so stdout parses as JSON whatever the exit code.
 * `message` is the line {@link failureOf} printed to stderr (its `error: ` prefix dropped).
 */
export function jsonFailure(message: string, exitCode: number): string {
  return `${JSON.stringify({ error: message.trim().replace(/^error: /, ""), exitCode }, null, 2)}\n`;
}

/** The worse of two exit codes: usage (2) over failure (1) over drift (3) over success (0). */
export function worseExit(a: number, b: number): number {
  const rank = (c: number) => ({ 0: 0, 3: 1, 1: 2, 2: 3 })[c] ?? 2;
  return rank(b) > rank(a) ? b : a;
}
