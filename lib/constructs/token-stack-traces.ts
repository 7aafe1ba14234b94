/**
 * cdktf records a full stack trace for every token it creates (each reference, `Lazy`, `Fn.*`
 * call and resource's `dependable`), only to name where a token was made if it later fails to
 * resolve. cdktf 0.21 has no switch for it (`App({ stackTraces: false })` only keeps traces out of
 * the annotations' metadata), and it is most of a synth's cost: about 2 ms per organization, many
 * times that under ts-node, which source-maps every frame. Every capture goes through one
 * function, which cdktf calls through its module's exports, so replacing that export for the
 * length of a synth turns the capture off without changing what is written.
 */
import * as stackTrace from "cdktf/lib/tokens/private/stack-trace";

/** The module cdktf's tokens call through: `(0, stack_trace_1.captureStackTrace)()`. */
const captureModule = stackTrace as { captureStackTrace: (below?: unknown) => string[] };

/**
 * Runs `build` (constructing stacks, `app.synth()`) with cdktf's token stack traces off, and puts
 * cdktf's capture back afterwards, also when `build` throws. Output is byte-identical: the traces
 * only ever reach an error message about an unresolvable token, which then names no creation site.
 *
 * @param build what to run without the traces
 * @param keep keep the traces (for debugging a token that fails to resolve)
 * @returns what `build` returns
 */
export function withoutTokenStackTraces<T>(build: () => T, keep = false): T {
  const capture = captureModule.captureStackTrace;
  // A cdktf whose capture is not a replaceable export (a later release) synthesizes as it is, slower.
  if (keep || !Object.getOwnPropertyDescriptor(captureModule, "captureStackTrace")?.writable) return build();
  captureModule.captureStackTrace = noStackTrace;
  try {
    return build();
  } finally {
    captureModule.captureStackTrace = capture;
  }
}

function noStackTrace(): string[] {
  return [];
}
