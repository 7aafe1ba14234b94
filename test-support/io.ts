import type { CommandIO } from "../cli/io";

/** A CommandIO that captures output, pointed at a stand-in with fast test timings. */
export function captureIO(env: NodeJS.ProcessEnv, extra: Partial<CommandIO> = {}): CommandIO & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    env,
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    clientOptions: { writeIntervalMs: 0, retryUnitMs: 10 },
    ...extra,
    out: () => out,
    err: () => err,
  };
}
