/**
 * What `create-app` prints once the App exists: its id and slug, where its credentials were
 * written, and the next steps (record, install, seal), with the exact commands.
 */
import { variableNames } from "../../lib/naming";
import type { CreateAppResult } from "../../lib/registration/manifest-flow";
import { clean } from "../../lib/text";

/** The created App and the next steps. */
export function nextStepsText(login: string, r: CreateAppResult, configFile: string): string {
  const v = variableNames(login);
  return [
    `Created App ${clean(r.slug)} (id ${r.appId}, client id ${clean(r.clientId)}).`,
    `Credentials (private key, client and webhook secrets) written to ${r.credentialsFile} with mode 0600. Keep it out of git; move the key to your secret store.`,
    "",
    "Next (token-policy is `npm run -s cli --` in a checkout of this project):",
    `  1. Record in ${configFile} under ${login}: app: { id: ${r.appId}, clientId: ${r.clientId}, slug: ${r.slug} }`,
    `  2. Install it: token-policy install --org ${login} --credentials ${r.credentialsFile}   (or open ${r.installUrl})`,
    `  3. Seal the key for Terraform: token-policy seal --org ${login} --credentials ${r.credentialsFile} --target actions`,
    `     and set TF_VAR_${v.actionsSealed} in CI (also TF_VAR_${v.dependabotSealed} with --target dependabot when used).`,
    ...(r.webhookSecret
      ? [
          `  4. Where token-policy serve runs, set WEBHOOK_SECRET to webhook_secret from ${r.credentialsFile} (with APP_ID ${r.appId} and the private key).`,
        ]
      : []),
    "",
  ].join("\n");
}

/**
 * `create-app --json`: the created App as one JSON object: its id, client id and slug (what the
 * config records), the install page, the credentials file and whether GitHub issued a webhook
 * secret. Never a secret: those stay in the file.
 */
export function createdAppJson(login: string, r: CreateAppResult, configFile: string): string {
  const document = {
    org: login,
    appId: r.appId,
    clientId: r.clientId,
    slug: r.slug,
    installUrl: r.installUrl,
    credentialsFile: r.credentialsFile,
    webhookSecretIssued: r.webhookSecret,
    configFile,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
