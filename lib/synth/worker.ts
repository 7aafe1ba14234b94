/**
 * The synth worker (`./synthesize.ts`): builds and synthesizes the organizations it is given
 * into the main thread's folder, and answers with their ids and their entries of cdktf's
 * manifest, which the main thread writes once with every stack.
 */
import "../runtime/check-node"; // first, as in main.ts: dependencies' deprecation warnings stay off stderr
import { parentPort, workerData } from "node:worker_threads";
import { App } from "cdktf";
import { withFastResolve } from "../constructs/fast-resolve";
import { withoutTokenStackTraces } from "../constructs/token-stack-traces";
import { addStacks, ConstructRefusal } from "./stacks";
import type { WorkerInput, WorkerOutput } from "./synthesize";

const { outdir, part, debug } = workerData as WorkerInput;
let answer: WorkerOutput;
try {
  const app = new App({ outdir, stackTraces: false });
  // The main thread writes the manifest, once, with this thread's stacks in it.
  app.manifest.writeToFile = () => undefined;
  const ids = withoutTokenStackTraces(
    () =>
      withFastResolve(() => {
        // No findings given: the policy checks run on these organizations as the aspect visits them.
        const built = addStacks(app, part);
        app.synth();
        return built;
      }, debug),
    debug,
  );
  answer = { kind: "done", ids, stacks: app.manifest.stacks };
} catch (e) {
  const { message, stack } = e as Error;
  answer =
    e instanceof ConstructRefusal ? { kind: "refused", message, detail: e.detail } : { kind: "failed", message, detail: String(stack) };
}
parentPort?.postMessage(answer);
