/**
 * Waiting out GitHub's rate limits: a request GitHub refuses for a rate limit (403 or 429) is sent
 * again after the wait GitHub asks for, as Octokit's throttling plugin does it (a secondary rate
 * limit: its `retry-after`, else 60 s; the primary one: until `x-ratelimit-reset`, plus a
 * second), when the client's handler says so. This replaces that plugin, whose queues (Bottleneck's,
 * one process-wide queue that takes one request per turn of the event loop) held every request
 * of a burst in line: pacing (`./pacing`) holds reads and writes instead. The product calls no
 * search or notification-triggering endpoint and no GraphQL, the plugin's other concerns.
 */
import type { Octokit } from "@octokit/core";

/** A rate limit GitHub answered with, and how long it asks to wait, in seconds. */
export interface RateLimited {
  readonly limit: "rate limit" | "secondary rate limit";
  readonly retryAfter: number;
}

/** When GitHub gives no `retry-after` with a secondary rate limit, wait this long, in seconds (as the throttling plugin). */
const SECONDARY_FALLBACK_SECONDS = 60;

/**
 * The rate limit `e` reports, or undefined when it is another failure. `nowMs` is this host's
 * present; the wait for a primary limit is counted by GitHub's clock (its answer's `Date` header)
 * when the answer has one, since `x-ratelimit-reset` is GitHub's time and this host's clock may be off.
 */
export function rateLimitOf(e: unknown, nowMs: number): RateLimited | undefined {
  const err = e as { status?: number; message?: string; response?: { headers?: Record<string, unknown>; data?: unknown } } | undefined;
  if (err?.status !== 403 && err?.status !== 429) return undefined;
  const headers = err.response?.headers ?? {};
  if (/\bsecondary rate\b/i.test(err.message ?? "")) {
    return { limit: "secondary rate limit", retryAfter: Number(headers["retry-after"]) || SECONDARY_FALLBACK_SECONDS };
  }
  const errors = (err.response?.data as { errors?: { type?: string }[] } | undefined)?.errors;
  if (headers["x-ratelimit-remaining"] === "0" || (Array.isArray(errors) && errors.some((x) => x?.type === "RATE_LIMITED"))) {
    const reset = (Number(headers["x-ratelimit-reset"]) || 0) * 1000;
    const githubNow = typeof headers.date === "string" ? Date.parse(headers.date) : NaN;
    const now = Number.isFinite(githubNow) ? githubNow : nowMs;
    return { limit: "rate limit", retryAfter: Math.max(Math.ceil((reset - now) / 1000) + 1, 0) };
  }
  return undefined;
}

/** What {@link waitOutRateLimits} needs of a client. */
export interface RateLimitOptions {
  /** Unit of `retryAfter`: the wait is `retryAfter × unitMs`. */
  readonly unitMs: number;
  /**
   * Whether to send the request again after `limited`, the `retryCount`-th time (from 0); says so
   * when it will.
   */
  readonly again: (limited: RateLimited, request: { method: string; url: string }, retryCount: number) => boolean;
}

/** An Octokit plugin: with the client's `rateLimits` option, waits out rate limits (see the module summary). */
export function waitOutRateLimits(octokit: Octokit, options: { rateLimits?: RateLimitOptions }): void {
  const { rateLimits } = options;
  if (!rateLimits) return;
  octokit.hook.wrap("request", async (request, o) => {
    for (let retryCount = 0; ; retryCount++) {
      try {
        return await request(o);
      } catch (e) {
        const limited = rateLimitOf(e, Date.now());
        if (!limited || !rateLimits.again(limited, o as { method: string; url: string }, retryCount)) throw e;
        await new Promise((resolve) => setTimeout(resolve, limited.retryAfter * rateLimits.unitMs));
      }
    }
  });
}
