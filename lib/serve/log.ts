/** The structured log of `serve`: one JSON object per event. */

/** One structured log line: never a token, key, signature or secret. */
export type LogLine = Record<string, string | number | boolean | null | undefined> & { readonly event: string };

/** A header or payload value fit for a log line: short, printable ASCII. */
export function safe(v: string): string {
  return v.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
}
