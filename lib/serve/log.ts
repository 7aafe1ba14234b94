/** The structured log of `serve`: one JSON object per event. */
import type { DecidedBy } from "../approval/outcomes";

/** A value of a log line: a scalar, or who decided (`{ kind, name }` or `{ kind, outcome }`). */
export type LogValue = string | number | boolean | null | undefined | DecidedBy;

/** One structured log line: never a token, key, signature or secret. */
export type LogLine = Record<string, LogValue> & { readonly event: string };

/** A header or payload value fit for a log line: short, printable ASCII. */
export function safe(v: string): string {
  return v.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
}

/** The default log: one JSON line on stdout, with the time. */
export function stdoutLog(line: LogLine): void {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), ...line }) + "\n");
}
