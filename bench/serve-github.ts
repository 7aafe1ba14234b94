/**
 * GitHub's side of `npm run bench:serve`, run in worker threads: the OpenAPI-checked stand-in
 * (every call answered after the given latency) in one, GitHub's webhook sender (deliveries
 * signed as GitHub signs them, posted by a number of senders at once) in another. Kept out of the
 * bench's main thread, where `serve` runs, so that the stand-in's checks and the senders' HTTP
 * work are not counted as serve's, nor slowed by each other. Driven by messages from
 * bench/serve.ts (see {@link Methods}).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parentPort } from "node:worker_threads";
import { randomUUID } from "node:crypto";
import { signBody } from "../lib/serve/signature";
import { GitHubStandIn } from "../test-support/github-stand-in/server";
import { addRequest, installApp, type InstalledApp } from "../test-support/fixtures";

const LIST = "GET /orgs/{org}/personal-access-token-requests";
const REPOS = "GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories";
const REVIEW = "POST /orgs/{org}/personal-access-token-requests";

/** A request to add to the organization, as `addRequest` takes it. */
export type RequestSpec = Parameters<typeof addRequest>[2];

/** A delivery to post: its body, and whether to sign it with a wrong secret. */
export interface Delivery {
  readonly body: string;
  readonly forged?: boolean;
}

let standIn: GitHubStandIn;
let app: InstalledApp;
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

/** What the main thread can ask. */
const methods = {
  /** Starts the stand-in with an App installed on acme-corp. */
  async start(o: { latencyMs: number }) {
    // connections kept open between calls, as GitHub keeps them (the default second closes them between most calls)
    standIn = await GitHubStandIn.start({ latencyMs: o.latencyMs, keepAliveMs: 60_000 });
    app = installApp(standIn);
    return { url: standIn.url, appId: app.appId, pem: app.pem };
  },
  /** Adds pending requests; returns their ids and the `created` deliveries GitHub would send. */
  requests(specs: RequestSpec[]) {
    const added = specs.map((s) => addRequest(standIn, app.org, s));
    return added.map((r) => ({ id: r.id, body: JSON.stringify(standIn.deliveryPayload("acme-corp", r.id)) }));
  },
  /**
   * Posts `deliveries` to `url`, `senders` at a time, each under a fresh delivery id and signed
   * with `secret` (or, forged, another); returns the statuses in order.
   */
  async send(o: { url: string; secret: string; deliveries: Delivery[]; senders: number }) {
    const statuses: number[] = new Array(o.deliveries.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(o.senders, o.deliveries.length) }, async () => {
        for (let i = next++; i < o.deliveries.length; i = next++) {
          const d = o.deliveries[i];
          const res = await fetch(`${o.url}/webhook`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-github-event": "personal_access_token_request",
              "x-github-delivery": randomUUID(),
              "x-hub-signature-256": signBody(d.forged ? `not-the-secret-${i}` : o.secret, d.body),
            },
            body: d.body,
          });
          await res.arrayBuffer();
          statuses[i] = res.status;
        }
      }),
    );
    return statuses;
  },
  /** Calls of the three operations a burst makes, so far. */
  counts() {
    return { list: standIn.callsOf(LIST).length, repos: standIn.callsOf(REPOS).length, review: standIn.callsOf(REVIEW).length };
  },
  /** The request ids of the bulk reviews from the `from`-th on. */
  written(from: number) {
    return standIn
      .callsOf(REVIEW)
      .slice(from)
      .flatMap((c) => (c.body as { pat_request_ids: number[] }).pat_request_ids);
  },
  /** The p99 delay of this thread's event loop since the last call, in ms. */
  loopDelay() {
    const ms = Math.round(loop.percentile(99) / 1e6);
    loop.reset();
    return ms;
  },
  /** Stops the stand-in; returns what it found wrong. */
  async close() {
    await standIn.close();
    return { violations: standIn.violations, rejections: standIn.rejections };
  },
};

/** The methods, by name. */
export type Methods = typeof methods;

parentPort!.on("message", (m: { id: number; method: keyof Methods; arg: never }) => {
  Promise.resolve()
    .then(() => (methods[m.method] as (arg: never) => unknown)(m.arg))
    .then(
      (result) => parentPort!.postMessage({ id: m.id, result }),
      (e: Error) => parentPort!.postMessage({ id: m.id, error: e.stack ?? e.message }),
    );
});
