/**
 * `token-policy create-app`: registers the organization's App from its manifest through GitHub's
 * manifest flow (`lib/registration`), then prints the next steps. The owner's one click on GitHub
 * is the only manual step; the credentials land in a 0600 file, never on the screen.
 */
import { configFileName, findOrganization, loadConfig } from "../../lib/config/load";
import { resolveApiUrl } from "../../lib/github/client";
import { apiUrlFor, variableNames, webRoot } from "../../lib/naming";
import { registerApp, type CreateAppDeps, type CreateAppResult } from "../../lib/registration/manifest-flow";
import { defaultCredentialsFile } from "../../lib/registration/credentials-file";
import { clean } from "../../lib/text";
import { openBrowser } from "../browser";
import type { CommandIO } from "../io";

export { conversionMismatch, type CreateAppDeps, type CreateAppResult } from "../../lib/registration/manifest-flow";

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  readonly org: string;
  readonly config?: string;
  /** Web root of GitHub. @default the org's githubUrl */
  readonly githubUrl?: string;
  /** API root. @default GITHUB_API_URL, else derived from the web root */
  readonly apiUrl?: string;
  /** Local port. @default a free one */
  readonly port?: number;
  /** Open the browser. @default true */
  readonly open?: boolean;
  /** Credentials file. @default .secrets/<login>-app.json */
  readonly out?: string;
}

/** Runs the flow; resolves when the credentials are written, rejects after the timeout. */
export async function createApp(options: CreateAppOptions, io: CommandIO, deps: CreateAppDeps = {}): Promise<CreateAppResult> {
  const loaded = loadConfig(configFileName(options.config, io.env));
  const org = findOrganization(loaded, options.org);
  const githubUrl = webRoot(options.githubUrl ?? org.githubUrl);
  const apiUrl = (options.apiUrl ?? (options.githubUrl ? apiUrlFor(options.githubUrl) : resolveApiUrl(io.env, org.githubUrl))).replace(/\/+$/, "");
  const out = options.out ?? defaultCredentialsFile(org.login);
  const result = await registerApp(org, { githubUrl, apiUrl, out, port: options.port, open: options.open, configFile: loaded.file }, io, { openBrowser, ...deps });
  printNextSteps(io, org.login, result, loaded.file);
  return result;
}

function printNextSteps(io: CommandIO, login: string, r: CreateAppResult, configFile: string): void {
  const v = variableNames(login);
  io.stdout.write(
    [
      `Created App ${clean(r.slug)} (id ${r.appId}, client id ${clean(r.clientId)}).`,
      `Credentials (private key, client and webhook secrets) written to ${r.credentialsFile} with mode 0600. Keep it out of git; move the key to your secret store.`,
      "",
      "Next (token-policy is `npm run -s cli --` in a checkout of this project):",
      `  1. Record in ${configFile} under ${login}: app: { id: ${r.appId}, clientId: ${r.clientId}, slug: ${r.slug} }`,
      `  2. Install it: token-policy install --org ${login} --credentials ${r.credentialsFile}   (or open ${r.installUrl})`,
      `  3. Seal the key for Terraform: token-policy seal --org ${login} --credentials ${r.credentialsFile} --target actions`,
      `     and set TF_VAR_${v.actionsSealed} in CI (also TF_VAR_${v.dependabotSealed} with --target dependabot when used).`,
      ...(r.webhookSecret
        ? [`  4. Where token-policy serve runs, set WEBHOOK_SECRET to webhook_secret from ${r.credentialsFile} (with APP_ID ${r.appId} and the private key).`]
        : []),
      "",
    ].join("\n"),
  );
}

