/**
 * `--all`: one command over every organization of the config, a few at a time, each with its
 * own credentials and installation. Each organization's output is printed whole, in config
 * order; one combined summary follows; the exit code is the worst of them.
 *
 * With `--json`, stdout carries one JSON document and nothing else ({@link AllOrganizationsJson}):
 * each organization's own JSON object under its login, with its result and exit code; what an
 * organization wrote to stderr still goes to stderr, each line prefixed with its login.
 */
import { UsageError } from "../lib/config/errors";
import { loadOrganizations } from "./context";
import { failureOf, table, worseExit, type CommandIO } from "./io";

/** How one organization went. */
export interface OrganizationOutcome {
  /** The exit code it would have had alone. */
  readonly code: number;
  /** Cells of its row in the combined summary (after the login). */
  readonly cells: readonly string[];
}

/** Options of {@link forEachOrganization}. */
export interface AllOptions {
  readonly config?: string;
  /** Organizations run at once. @default 4 */
  readonly concurrency?: number;
  /** Print one JSON document ({@link AllOrganizationsJson}) instead of the outputs and a table. */
  readonly json?: boolean;
}

/** How one organization ended, in words: the summary table's RESULT and the JSON's `result`. */
export type OrganizationResult = "ok" | "drift" | "usage error" | "failed";

/** What `--all --json` prints: the one JSON document on stdout. */
export interface AllOrganizationsJson {
  /** Every organization of the config, in config order. */
  readonly organizations: readonly {
    readonly login: string;
    readonly result: OrganizationResult;
    /** The exit code the command would have had for this organization alone. */
    readonly exitCode: number;
    /** The JSON object the command prints with `--org LOGIN --json`; null when it stopped before printing one. */
    readonly output: unknown;
    /** The error that stopped it, when one did. */
    readonly error?: string;
  }[];
  /** How many ended with exit code 0, and how many did not. */
  readonly ok: number;
  readonly notOk: number;
}

/**
 * Runs `one` for every organization, at most `concurrency` at once, each with an IO that
 * buffers its output; prints the outputs in config order, then a table with `header` and each
 * organization's cells and result. Returns the worst exit code.
 */
export async function forEachOrganization(
  options: AllOptions,
  io: CommandIO,
  header: readonly string[],
  one: (login: string, io: CommandIO) => Promise<Omit<OrganizationOutcome, "code"> & { code?: number }>,
): Promise<number> {
  const { organizations } = loadOrganizations({ config: options.config }, io.env);
  const concurrency = options.concurrency ?? 4;
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 32))
    throw new UsageError(`--concurrency must be a whole number from 1 to 32, got ${options.concurrency}`);
  const logins = organizations.map((o) => o.login);
  const results: { out: string; err: string; code: number; cells: readonly string[]; error?: string }[] = new Array(logins.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < logins.length; i = next++) {
      let out = "";
      let err = "";
      const orgIO: CommandIO = { ...io, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
      try {
        const r = await one(logins[i], orgIO);
        results[i] = { out, err, code: r.code ?? 0, cells: r.cells };
      } catch (e) {
        const f = failureOf(e, io.env);
        results[i] = {
          out,
          err: err + f.message + "\n",
          code: f.code,
          cells: header.map(() => "-"),
          error: f.message.replace(/^error: /, ""),
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, logins.length) }, worker));

  let worst = 0;
  results.forEach((r, i) => {
    if (!options.json) io.stdout.write(`== ${logins[i]}\n${r.out}`);
    if (r.err)
      io.stderr.write(
        r.err
          .split("\n")
          .filter(Boolean)
          .map((l) => `${logins[i]}: ${l}\n`)
          .join(""),
      );
    worst = worseExit(worst, r.code);
  });
  const result = (r: (typeof results)[number]): OrganizationResult =>
    r.code === 0 ? "ok" : r.code === 3 ? "drift" : r.code === 2 ? "usage error" : "failed";
  const failed = results.filter((r) => r.code !== 0).length;
  if (options.json) {
    const document: AllOrganizationsJson = {
      organizations: results.map((r, i) => ({
        login: logins[i],
        result: result(r),
        exitCode: r.code,
        ...jsonOutput(r.out, r.error),
      })),
      ok: logins.length - failed,
      notOk: failed,
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return worst;
  }
  io.stdout.write(
    `\n${table(
      ["ORGANIZATION", ...header, "RESULT"],
      results.map((r, i) => [logins[i], ...r.cells, result(r)]),
      200,
    )}`,
  );
  io.stdout.write(`${logins.length} organizations: ${logins.length - failed} ok, ${failed} not.\n`);
  return worst;
}

/** An organization's stdout as the document's `output` (and `error`): its JSON object, or null. */
function jsonOutput(out: string, error: string | undefined): { output: unknown; error?: string } {
  const withError = (output: unknown, e: string | undefined) => (e === undefined ? { output } : { output, error: e });
  if (!out.trim()) return withError(null, error);
  try {
    return withError(JSON.parse(out) as unknown, error);
  } catch {
    // A command prints one JSON object with --json; anything else is a defect, not a document.
    return withError(null, [error, `its output was not JSON: ${out.slice(0, 200)}`].filter(Boolean).join("; "));
  }
}
