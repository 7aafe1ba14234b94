/**
 * `token-policy serve`: the approval policy on GitHub's webhook, for every organization of the
 * config, each through its own App. Decides each new fine-grained token request seconds after it
 * is made; on start and every `--sweep-minutes`, decides what is pending as `review` does and
 * revokes unused tokens (`revokeNonCompliant` is left to `review`). Dry run unless `--apply`.
 * This module only checks the options and drives the server (`lib/serve`), whose sweep is the
 * review run (`lib/review/run`) and whose App sessions are `lib/serve/sessions`.
 */
import { configFileName, loadConfig } from "../../lib/config/load";
import { UsageError } from "../../lib/config/errors";
import { describeGitHubError, isGitHubError } from "../../lib/github/errors";
import { readHookRanges } from "../../lib/serve/hook-ranges";
import { AppSessions } from "../../lib/serve/sessions";
import { MAX_DELIVERY_BYTES, WebhookServer, type LogLine } from "../../lib/serve/webhook-server";
import { webhookSecretProblem } from "../../lib/serve/signature";
import type { CommandIO } from "../io";

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Config file. @default TOKEN_POLICY_CONFIG or token-policy.yaml */
  readonly config?: string;
  /** Port to listen on; 0 for any free one. @default PORT, else 3000 */
  readonly port?: number;
  /** Address to listen on. @default 127.0.0.1 */
  readonly host?: string;
  /** Apply decisions; otherwise log what it would decide. @default false */
  readonly apply?: boolean;
  /** Minutes between sweeps; 0 for none after the first. @default 15 */
  readonly sweepMinutes?: number;
  /**
   * Largest delivery body accepted, in bytes (1024 to 25 MiB); a token request delivery is refused
   * past 1 MiB whatever this says, and another event's body past 1 MiB is drained unread.
   * @default 1048576
   */
  readonly maxBody?: number;
  /**
   * Accept deliveries only from GitHub's published webhook source ranges (`GET /meta`, `hooks`, of
   * every host the config serves), read on start and every hour. @default false
   */
  readonly githubHookRanges?: boolean;
}

/** Seams for tests and benchmarks: the log, what stops the server, and its timings. */
export interface ServeDeps {
  /** Where log lines go. @default one JSON line on stdout */
  readonly log?: (line: LogLine) => void;
  /** Resolves when the server should stop. @default SIGTERM or SIGINT */
  readonly stopSignal?: Promise<void>;
  /** Called with the URL once it listens. */
  readonly onListening?: (url: string, server: WebhookServer) => void;
  /** How long deliveries are gathered before one batch is decided, in ms. @default 200 */
  readonly coalesceMs?: number;
  /** On stop, how long open connections may finish, in ms. @default 10000 */
  readonly shutdownGraceMs?: number;
  /** Time for a request's headers and whole body, in ms. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Time between reads of GitHub's hook ranges, in ms. @default 3600000 */
  readonly hookRangesRefreshMs?: number;
}

/** Runs until stopped; resolves after in-flight decisions finished. */
export async function serve(options: ServeOptions, io: CommandIO, deps: ServeDeps = {}): Promise<void> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  const secret = io.env.WEBHOOK_SECRET;
  if (!secret)
    throw new UsageError(
      "serve needs WEBHOOK_SECRET: the App's webhook secret (create-app writes it to the credentials file as webhook_secret)",
    );
  const weak = webhookSecretProblem(secret);
  if (weak) throw new UsageError(weak);
  const port = options.port ?? (io.env.PORT ? Number(io.env.PORT) : 3000);
  if (!(Number.isInteger(port) && port >= 0 && port < 65536))
    throw new UsageError(
      options.port !== undefined
        ? `--port must be a port number (0-65535), got ${options.port}`
        : "PORT must be a port number (0-65535); its value is not shown",
    );
  const { sweepMinutes, maxBody } = options;
  if (sweepMinutes !== undefined && !(sweepMinutes >= 0))
    throw new UsageError(`--sweep-minutes must be a number of minutes, got ${sweepMinutes}`);
  if (maxBody !== undefined && !(Number.isInteger(maxBody) && maxBody >= 1024 && maxBody <= MAX_DELIVERY_BYTES))
    throw new UsageError(`--max-body must be a number of bytes from 1024 to ${MAX_DELIVERY_BYTES} (GitHub's cap), got ${maxBody}`);
  const organizations = loaded.config.organizations;
  // One session per organization, through its own App and its own installation.
  const sessions = new AppSessions(io, organizations);

  const server = new WebhookServer({
    organizations,
    webhookSecret: secret,
    apply: options.apply,
    sweepMinutes,
    maxBodyBytes: maxBody,
    coalesceMs: deps.coalesceMs,
    shutdownGraceMs: deps.shutdownGraceMs,
    requestTimeoutMs: deps.requestTimeoutMs,
    hookRanges: options.githubHookRanges ? () => readHookRanges(organizations, sessions) : undefined,
    hookRangesRefreshMs: deps.hookRangesRefreshMs,
    log: deps.log,
    canSign: (org) => sessions.canSign(org),
    sessionFor: (org) => sessions.sessionFor(org),
  });
  const host = options.host ?? "127.0.0.1";
  const url = await server.listen(port, host).catch((e: NodeJS.ErrnoException) => {
    if (isGitHubError(e))
      throw new UsageError(`--github-hook-ranges: cannot read GitHub's hook ranges (GET /meta): ${describeGitHubError(e)}`);
    if (e.code === "EADDRINUSE")
      throw new UsageError(
        `cannot listen on ${host}:${port}: the port is in use by another process; stop it, or pick another port with --port (or PORT)`,
      );
    if (e.code === "EACCES")
      throw new UsageError(
        `cannot listen on ${host}:${port}: not allowed for this user (ports below 1024 need privileges); pick another with --port (or PORT)`,
      );
    if (e.code === "EADDRNOTAVAIL")
      throw new UsageError(`cannot listen on ${host}:${port}: ${host} is not an address of this machine; fix --host`);
    throw e;
  });
  deps.onListening?.(url, server);
  await (deps.stopSignal ??
    new Promise<void>((resolve) => {
      process.once("SIGTERM", () => resolve());
      process.once("SIGINT", () => resolve());
    }));
  await server.close();
}
