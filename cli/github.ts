import { createGitHubClient, resolveApiUrl, resolveAuth, type GitHubClient } from "../lib/github/client";
import type { OrganizationConfig } from "../lib/config/schema";
import type { CommandIO } from "./io";

/**
 * The client a command uses for one organization: the injected one, else one built from the
 * environment (credentials, `GITHUB_API_URL` or the org's `githubUrl`).
 */
export async function clientFor(io: CommandIO, org: OrganizationConfig, credentialsFile?: string): Promise<GitHubClient> {
  if (io.client) return io.client;
  const auth = resolveAuth({ env: io.env, credentialsFile });
  return createGitHubClient({
    apiUrl: resolveApiUrl(io.env, org.githubUrl),
    auth,
    org: org.login,
    warn: (m) => io.stderr.write(`warning: ${m}\n`),
    ...io.clientOptions,
  });
}
