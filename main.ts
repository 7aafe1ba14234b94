/**
 * The cdktf app: load and validate the whole config and run the policy rule pack on every
 * organization (nothing is constructed or written when either fails, and every problem of every
 * organization is reported at once), create one stack per organization, synthesize.
 *
 * Output is synthesized into a temporary sibling directory and moved into place only when every
 * stack passed, so a failed synth leaves cdktf.out as it was.
 */
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, relative, resolve } from "node:path";
import { App, Aspects } from "cdktf";
import { checkOrganization, ConfigError, configFileName, loadConfig, OrganizationStack, OrgTokenPolicy, PolicyChecks, type LoadedConfig, type OrganizationConfig } from "./lib";

/**
 * Environment variables the github provider lets override a stack's configured `owner` (every
 * release up to 6.13 keeps this for backwards compatibility): with either set, every stack would
 * manage that one organization.
 */
const OWNER_OVERRIDES = ["GITHUB_OWNER", "GITHUB_ORGANIZATION"] as const;

function main(): void {
  // No update checks from the app's own process: CI networks are often closed.
  process.env.CHECKPOINT_DISABLE ??= "1";
  const overriding = OWNER_OVERRIDES.filter((name) => process.env[name]);
  if (overriding.length) {
    fail(
      `${overriding.join(" and ")} ${overriding.length === 1 ? "is" : "are"} set in the environment. The github provider lets ${overriding.length === 1 ? "it" : "them"} override each stack's owner, so every stack would manage that one organization. Unset ${overriding.join(" and ")}: each stack names its own organization.`,
      2,
    );
  }
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig();
  } catch (e) {
    // The rule pack still runs on the organizations that are valid on their own: one run
    // reports every problem of the file.
    if (e instanceof ConfigError) fail([e.message, ...policyErrors(configFileName(), e.validOrganizations)].join("\n"), e.exitCode);
    throw e;
  }

  // The rule pack, run on every organization before anything is built: all errors at once.
  const findings = loaded.config.organizations.flatMap((org) => checkOrganization(org).map((f) => ({ ...f, login: org.login })));
  const errors = policyErrors(loaded.file, loaded.config.organizations.map((config, index) => ({ index, config })));
  if (errors.length) fail(errors.join("\n"), 2);

  const outdir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const staging = mkdtempSync(resolve(dirname(outdir), `.${basename(outdir)}.staging-`));
  // No stack traces in annotations: they carry absolute paths of this machine into manifest.json.
  const app = new App({ outdir: staging, stackTraces: false });
  const checks = new PolicyChecks();
  const stacks: OrganizationStack[] = [];
  try {
    for (const [i, org] of loaded.config.organizations.entries()) {
      const stack = new OrganizationStack(app, org.login, { organizationLogin: org.login, githubUrl: org.githubUrl, backend: org.backend });
      OrgTokenPolicy.fromConfig(stack, "token-policy", org, { configPath: `organizations[${i}]` });
      // cdktf invokes aspects from each stack down, so the pack goes on every stack.
      Aspects.of(stack).add(checks);
      stacks.push(stack);
    }
  } catch (e) {
    // A construct refused what the schema let through: still the config's fault, not a crash.
    rmSync(staging, { recursive: true, force: true });
    fail(`${loaded.file}: ${(e as Error).message}${process.env.TOKEN_POLICY_DEBUG ? `\n${(e as Error).stack}` : ""}`, 2);
  }
  try {
    app.synth();
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);

  const warnings = findings.filter((f) => f.level === "warning");
  for (const f of warnings) process.stderr.write(`warning: ${where(loaded, f.login)}: ${f.message}\n`);
  const shown = relative(process.cwd(), outdir) || ".";
  const lines = [`Synthesized ${loaded.file} into ${shown}:`];
  for (const stack of stacks) lines.push(`  ${stack.node.id}: ${shown}/stacks/${stack.node.id}/cdk.tf.json`);
  lines.push(`${warnings.length} policy ${warnings.length === 1 ? "warning" : "warnings"}${warnings.length ? " (above)" : ""}.`);
  lines.push("Next: `token-policy report` for the policy report (in a checkout: `npm run -s cli -- report`), then `npx cdktf diff` to see the plan.");
  process.stdout.write(lines.join("\n") + "\n");
}

/** The rule pack's errors on these organizations, headed by their count; nothing when there are none. */
function policyErrors(file: string, orgs: readonly { readonly index: number; readonly config: OrganizationConfig }[]): string[] {
  const errors = orgs.flatMap(({ index, config }) => checkOrganization(config).filter((f) => f.level === "error").map((f) => `  organizations[${index}] (${config.login}): ${f.message}`));
  return errors.length ? [`${file}: ${errors.length} policy ${errors.length === 1 ? "error" : "errors"}`, ...errors] : [];
}

function where(loaded: LoadedConfig, login: string): string {
  const i = loaded.config.organizations.findIndex((o) => o.login === login);
  return `organizations[${i}] (${login})`;
}

function fail(message: string, code: number): never {
  process.stderr.write(message + "\n");
  process.exit(code);
}

main();
