/**
 * What `serve` checks before it starts, and how a failure to listen reads: the webhook secret,
 * the port, the sweep and body options, the client secret of every organization whose member
 * page is on; the listening errors mapped to what to do (exit 2); and the signals that stop it.
 * Kept beside `options.ts` so `commands/serve.ts` only drives the server.
 */
import { UsageError } from "../lib/config/errors";
import type { OrganizationConfig } from "../lib/config/schema";
import { appClientSecretFor, type GitHubContext } from "../lib/github/authentication";
import { describeGitHubError, isGitHubError } from "../lib/github/errors";
import { variableStem } from "../lib/naming";
import { memberPageOrganizations } from "../lib/serve/member-pages";
import { webhookSecretProblem } from "../lib/serve/signature";
import { MAX_DELIVERY_BYTES } from "../lib/serve/webhook-server";

/** The options `serve` checks here. */
export interface ServeChecked {
  readonly port?: number;
  readonly sweepMinutes?: number;
  readonly maxBody?: number;
}

/** What `serve` starts with, once checked. */
export interface ServeSettings {
  /** The App's webhook secret. */
  readonly webhookSecret: string;
  /** The port to listen on. */
  readonly port: number;
  /** Each member page's App client secret, by organization login. */
  readonly clientSecrets: ReadonlyMap<string, string>;
}

/** Checks the options and environment `serve` needs; throws a UsageError (exit 2) naming what is wrong, never a secret's value. */
export function serveSettings(options: ServeChecked, io: GitHubContext, organizations: readonly OrganizationConfig[]): ServeSettings {
  const webhookSecret = io.env.WEBHOOK_SECRET;
  if (!webhookSecret)
    throw new UsageError(
      "serve needs WEBHOOK_SECRET: the App's webhook secret (create-app writes it to the credentials file as webhook_secret)",
    );
  const weak = webhookSecretProblem(webhookSecret);
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
  return { webhookSecret, port, clientSecrets: memberPageSecrets(io, organizations) };
}

/**
 * The App client secret of every organization whose member page is on; one error naming every
 * organization that has none (the page signs members in through the App's OAuth web flow).
 */
function memberPageSecrets(io: GitHubContext, organizations: readonly OrganizationConfig[]): Map<string, string> {
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const org of memberPageOrganizations(organizations)) {
    const secret = appClientSecretFor(io, org);
    if (secret) found.set(org.login, secret);
    else
      missing.push(
        `${org.login}: set ${variableStem(org.login).toUpperCase()}_APP_CLIENT_SECRET (in the environment or TOKEN_POLICY_SECRETS_JSON), or APP_CLIENT_SECRET for every organization: its App's client secret (create-app writes it to the credentials file as client_secret)`,
      );
  }
  if (missing.length)
    throw new UsageError(
      `serve shows the member page (memberPage in the config), which needs the App's client secret:\n  ${missing.join("\n  ")}`,
    );
  return found;
}

/** Why `serve` could not listen, as a UsageError saying what to do; any other error as it is. */
export function listenProblem(e: NodeJS.ErrnoException, host: string, port: number): Error {
  if (isGitHubError(e))
    return new UsageError(`--github-hook-ranges: cannot read GitHub's hook ranges (GET /meta): ${describeGitHubError(e)}`);
  if (e.code === "EADDRINUSE")
    return new UsageError(
      `cannot listen on ${host}:${port}: the port is in use by another process; stop it, or pick another port with --port (or PORT)`,
    );
  if (e.code === "EACCES")
    return new UsageError(
      `cannot listen on ${host}:${port}: not allowed for this user (ports below 1024 need privileges); pick another with --port (or PORT)`,
    );
  if (e.code === "EADDRNOTAVAIL")
    return new UsageError(`cannot listen on ${host}:${port}: ${host} is not an address of this machine; fix --host`);
  return e;
}

/** Resolves on SIGTERM or SIGINT. */
export function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once("SIGTERM", () => resolve());
    process.once("SIGINT", () => resolve());
  });
}
