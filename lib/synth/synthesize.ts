/**
 * Synthesis of a config's stacks into a folder, on two threads when the config is large.
 *
 * Each stack is independent of the others (no cross-stack reference), and most of a large synth
 * is building and writing stacks, one organization after another, on one core. From
 * {@link PARALLEL_FROM} organizations on, on a machine with two or more processors, a worker
 * thread (`./worker.ts`) builds and writes the second half of the organizations into the same
 * folder while this thread does the enterprises and the first half; the worker's stacks then join
 * this thread's cdktf manifest, which is written once with every stack. Each stack is built by the
 * same code from the same config entry, so every file is what one thread would have written (a
 * test compares them byte for byte).
 *
 * The worker runs only where the sources run as JavaScript (`npm run synth`, cdktf.json's app);
 * under ts-node or jest, or with `TOKEN_POLICY_DEBUG`, all stacks are built here.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { App } from "cdktf";
import type { StackManifest } from "cdktf";
import { withFastResolve } from "../constructs/fast-resolve";
import { withoutTokenStackTraces } from "../constructs/token-stack-traces";
import type { PolicyFinding } from "../policy-checks/check-pack";
import { addStacks, ConstructRefusal, type StacksPart } from "./stacks";

/**
 * Below this many organizations one thread is as fast or faster: a worker first loads cdktf and
 * the constructs (0.3 s on 2 cores, while this thread builds). Measured on 2 cores: two threads
 * take 1.16 times as long as one at 100 organizations, 0.86 at 200, 0.8 at 500 and 1,000.
 */
export const PARALLEL_FROM = 200;

/** What the worker is given (`workerData`): plain data only. */
export interface WorkerInput {
  readonly outdir: string;
  readonly part: StacksPart;
  readonly debug: boolean;
}

/** What the worker answers, once. */
export type WorkerOutput =
  | { readonly kind: "done"; readonly ids: readonly string[]; readonly stacks: Readonly<Record<string, StackManifest>> }
  | { readonly kind: "refused"; readonly message: string; readonly detail: string }
  | { readonly kind: "failed"; readonly message: string; readonly detail: string };

/** How {@link synthesizeStacks} runs. */
export interface SynthesisOptions {
  /** The folder to synthesize into (cdktf's outdir). */
  readonly outdir: string;
  /** The enterprises and organizations, in the file's order. */
  readonly part: StacksPart;
  /** The policy findings already computed, by login (the worker computes its organizations' again: pure and fast). */
  readonly findings: ReadonlyMap<string, readonly PolicyFinding[]>;
  /** Keep cdktf as it is: token stack traces, its own resolve, one thread (TOKEN_POLICY_DEBUG). */
  readonly debug: boolean;
  /**
   * Whether a worker may take half of the organizations.
   * @default from PARALLEL_FROM organizations, with two or more processors, when running as JavaScript
   */
  readonly parallel?: boolean;
}

/**
 * Builds and synthesizes every stack of `part` into `outdir` (cdktf's manifest included), and
 * returns their ids in the file's order (enterprises first).
 *
 * @throws ConstructRefusal when a construct refuses an entry (the config's fault)
 */
export async function synthesizeStacks(options: SynthesisOptions): Promise<string[]> {
  const { outdir, part, findings, debug } = options;
  // The app first: it makes the stacks folder the worker writes into too.
  const app = new App({ outdir, stackTraces: false });
  const parallel =
    options.parallel ?? (!debug && __filename.endsWith(".js") && part.organizations.length >= PARALLEL_FROM && availableParallelism() > 1);
  const half = parallel ? Math.ceil(part.organizations.length / 2) : part.organizations.length;
  const mine: StacksPart = { enterprises: part.enterprises, organizations: part.organizations.slice(0, half) };
  const theirs: StacksPart = { enterprises: [], organizations: part.organizations.slice(half) };
  const worker = theirs.organizations.length ? startWorker({ outdir, part: theirs, debug }) : undefined;
  try {
    // No stack traces in annotations (they carry this machine's paths into manifest.json); token
    // stack traces off and cdktf's resolve copying plain data itself (neither changes the output).
    const ids = withoutTokenStackTraces(
      () =>
        withFastResolve(() => {
          const built = addStacks(app, mine, findings);
          app.synth();
          return built;
        }, debug),
      debug,
    );
    if (!worker) return ids;
    const answer = await worker.answer;
    if (answer.kind === "refused") throw new ConstructRefusal(answer.message, answer.detail);
    if (answer.kind === "failed") throw Object.assign(new Error(answer.message), { stack: answer.detail });
    Object.assign(app.manifest.stacks, answer.stacks);
    app.manifest.writeToFile();
    return [...ids, ...answer.ids];
  } finally {
    // Before the caller removes the folder on a failure: the worker writes no more into it.
    await worker?.thread.terminate();
  }
}

/** Starts the worker on `input`; its answer, or a failure when it ends without one. */
function startWorker(input: WorkerInput): { thread: Worker; answer: Promise<WorkerOutput> } {
  const thread = new Worker(join(__dirname, "worker.js"), { workerData: input });
  const answer = new Promise<WorkerOutput>((resolve) => {
    thread.once("message", (m: WorkerOutput) => resolve(m));
    thread.once("error", (e) => resolve({ kind: "failed", message: e.message, detail: String(e.stack) }));
    thread.once("exit", (code) =>
      resolve({ kind: "failed", message: `the synth worker stopped (exit code ${code}) before it answered`, detail: "" }),
    );
  });
  return { thread, answer };
}
