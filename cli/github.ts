import { createGitHubClient, resolveApiUrl, resolveAuth, type GitHubAuth, type GitHubClient } from "../lib/github/client";
import type { OrganizationConfig } from "../lib/config/schema";
import type { CommandIO } from "./io";

/** How a command wants to talk to GitHub, beyond the defaults. */
export interface ClientChoice {
  /** Credentials to use. @default resolveAuth from the environment */
  readonly auth?: GitHubAuth;
  /** Authenticate as the App itself (JWT), not an installation; never the injected client. */
  readonly asApp?: boolean;
  /** Retries per request. @default the client's */
  readonly maxRetries?: number;
}

/**
 * The client a command uses for one organization: the injected one, else one built from the
 * credentials (the environment's unless given), `GITHUB_API_URL` or the org's `githubUrl`, and
 * the caller's client options.
 */
export async function clientFor(io: CommandIO, org: OrganizationConfig, choice: ClientChoice = {}): Promise<GitHubClient> {
  if (io.client && !choice.asApp) return io.client;
  return createGitHubClient({
    apiUrl: resolveApiUrl(io.env, org.githubUrl),
    auth: choice.auth ?? resolveAuth({ env: io.env }),
    org: org.login,
    asApp: choice.asApp,
    warn: (m) => io.stderr.write(`warning: ${m}\n`),
    ...(choice.maxRetries !== undefined ? { maxRetries: choice.maxRetries } : {}),
    ...io.clientOptions,
  });
}
