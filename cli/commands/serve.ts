/**
 * `token-policy serve`: the approval policy on GitHub's webhook. Decides each new fine-grained
 * token request seconds after it is made; sweeps like `review` on start and every
 * `--sweep-minutes`. Dry run unless `--apply`.
 */
import { createAppAuth } from "@octokit/auth-app";
import { configFileName, loadConfig } from "../../lib/config/load";
import { UsageError } from "../../lib/config/errors";
import { resolveAuth, type GitHubClient } from "../../lib/github/client";
import type { OrganizationConfig } from "../../lib/config/schema";
import { WebhookServer, type LogLine } from "../../lib/serve/webhook-server";
import { clientFor } from "../../lib/github/credentials";
import type { CommandIO } from "../io";

/** Options of {@link serve}. */
export interface ServeOptions {
  readonly config?: string;
  /** @default PORT, else 3000 */
  readonly port?: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** Apply decisions; otherwise log what it would decide. @default false */
  readonly apply?: boolean;
  /** Minutes between sweeps; 0 for none after the first. @default 15 */
  readonly sweepMinutes?: number;
}

/** Seams for tests: the log, and what stops the server. */
export interface ServeDeps {
  readonly log?: (line: LogLine) => void;
  /** Resolves when the server should stop. @default SIGTERM or SIGINT */
  readonly stopSignal?: Promise<void>;
  /** Called with the URL once it listens. */
  readonly onListening?: (url: string, server: WebhookServer) => void;
  /** @default 200 */
  readonly coalesceMs?: number;
}

/** Runs until stopped; resolves after in-flight decisions finished. */
export async function serve(options: ServeOptions, io: CommandIO, deps: ServeDeps = {}): Promise<void> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  const secret = io.env.WEBHOOK_SECRET;
  if (!secret) throw new UsageError("serve needs WEBHOOK_SECRET: the App's webhook secret (create-app writes it to the credentials file as webhook_secret)");
  if (secret.length < 16) throw new UsageError("WEBHOOK_SECRET is too short to be the App's webhook secret (at least 16 characters)");
  const auth = resolveAuth({ env: { ...io.env, GITHUB_TOKEN: undefined } });
  if (auth.kind !== "app") throw new UsageError("serve acts as the App: set APP_ID with APP_PRIVATE_KEY or APP_PRIVATE_KEY_FILE");
  const port = options.port ?? (io.env.PORT ? Number(io.env.PORT) : 3000);
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError(options.port !== undefined ? `--port must be a port number (0-65535), got ${options.port}` : "PORT must be a port number (0-65535); its value is not shown");
  const sweepMinutes = options.sweepMinutes ?? 15;
  if (!(sweepMinutes >= 0)) throw new UsageError(`--sweep-minutes must be a number of minutes, got ${options.sweepMinutes}`);

  const appAuth = createAppAuth({ appId: auth.appId, privateKey: auth.privateKey });
  // One client per (organization, installation): Octokit renews its installation token.
  const clients = new Map<string, Promise<GitHubClient>>();
  const cachedClient = (org: OrganizationConfig, installationId?: number) => {
    const key = `${org.login}\u0000${installationId ?? ""}`;
    let c = clients.get(key);
    if (!c) {
      c = clientFor(io, org, { auth: { ...auth, installationId } });
      clients.set(key, c);
      c.catch(() => clients.delete(key));
    }
    return c;
  };
  const server = new WebhookServer({
    organizations: loaded.config.organizations,
    webhookSecret: secret,
    apply: options.apply,
    sweepMinutes,
    coalesceMs: deps.coalesceMs,
    log: deps.log,
    canSign: async () => Boolean((await appAuth({ type: "app" })).token),
    clientFor: cachedClient,
  });
  const host = options.host ?? "127.0.0.1";
  const url = await server.listen(port, host).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "EADDRINUSE") throw new UsageError(`cannot listen on ${host}:${port}: the port is in use by another process; stop it, or pick another port with --port (or PORT)`);
    if (e.code === "EACCES") throw new UsageError(`cannot listen on ${host}:${port}: not allowed for this user (ports below 1024 need privileges); pick another with --port (or PORT)`);
    if (e.code === "EADDRNOTAVAIL") throw new UsageError(`cannot listen on ${host}:${port}: ${host} is not an address of this machine; fix --host`);
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
