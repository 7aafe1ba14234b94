/**
 * `token-policy serve`: the approval policy on GitHub's webhook, for every organization of the
 * config, each through its own App. Decides each new fine-grained token request seconds after it
 * is made; on start and every `--sweep-minutes`, decides what is pending as `review` does and
 * revokes unused tokens (`revokeNonCompliant` is left to `review`). Dry run unless `--apply`.
 * With `memberPage` in the config, also the organization's member page (`lib/serve/member-pages`).
 * This module drives the server (`lib/serve`); its options are checked in `../serve-setup`.
 */
import { configFileName, loadConfig } from "../../lib/config/load";
import { resolveApiUrl } from "../../lib/github/client";
import { readHookRanges } from "../../lib/serve/hook-ranges";
import { memberPages } from "../../lib/serve/member-pages";
import { AppSessions } from "../../lib/serve/sessions";
import { stdoutLog } from "../../lib/serve/log";
import { WebhookServer, type LogLine } from "../../lib/serve/webhook-server";
import type { CommandIO } from "../io";
import { renderMemberText } from "../render/member";
import { listenProblem, serveSettings, stopSignal } from "../serve-setup";

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
  /** The GitHub web root members sign in at, for every organization. @default each organization's githubUrl */
  readonly githubWebUrl?: string;
}

/** Runs until stopped; resolves after in-flight decisions finished. */
export async function serve(options: ServeOptions, io: CommandIO, deps: ServeDeps = {}): Promise<void> {
  const { organizations, enterprises } = loadConfig(configFileName(options.config, io.env)).config;
  const { webhookSecret, port, clientSecrets } = serveSettings(options, io, organizations);
  // One session per organization, through its own App and its own installation.
  const sessions = new AppSessions(io, organizations);
  const log = deps.log ?? stdoutLog;
  const server = new WebhookServer({
    organizations,
    webhookSecret,
    apply: options.apply,
    sweepMinutes: options.sweepMinutes,
    maxBodyBytes: options.maxBody,
    coalesceMs: deps.coalesceMs,
    shutdownGraceMs: deps.shutdownGraceMs,
    requestTimeoutMs: deps.requestTimeoutMs,
    hookRanges: options.githubHookRanges ? () => readHookRanges(organizations, sessions) : undefined,
    hookRangesRefreshMs: deps.hookRangesRefreshMs,
    log,
    canSign: (org) => sessions.canSign(org),
    sessionFor: (org) => sessions.sessionFor(org),
    pages: memberPages({
      organizations,
      enterprises,
      sessionFor: (org) => sessions.sessionFor(org),
      clientIdFor: (org) => sessions.clientId(org),
      clientSecretFor: (org) => clientSecrets.get(org.login)!,
      apiUrlFor: (org) => resolveApiUrl(io.env, org.githubUrl),
      webUrlFor: deps.githubWebUrl === undefined ? undefined : () => deps.githubWebUrl!,
      render: renderMemberText,
      log,
    }),
  });
  const host = options.host ?? "127.0.0.1";
  const url = await server.listen(port, host).catch((e: NodeJS.ErrnoException) => {
    throw listenProblem(e, host, port);
  });
  deps.onListening?.(url, server);
  await (deps.stopSignal ?? stopSignal());
  await server.close();
}
