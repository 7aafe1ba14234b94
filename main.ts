/**
 * The cdktf app: load and validate the whole config (nothing is constructed or written when it
 * is wrong), create one stack per organization with the policy rule pack, synthesize.
 *
 * Output is synthesized into a temporary sibling directory and moved into place only when every
 * stack passed, so a policy error in one organization leaves cdktf.out as it was.
 */
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { App, Aspects } from "cdktf";
import { ConfigError, loadConfig, OrganizationStack, OrgTokenPolicy, PolicyChecks, type LoadedConfig } from "./lib";

function main(): void {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message, e.exitCode);
    throw e;
  }
  const outdir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const staging = mkdtempSync(resolve(dirname(outdir), `.${basename(outdir)}.staging-`));
  const app = new App({ outdir: staging });
  const checks = new PolicyChecks();
  try {
    for (const org of loaded.config.organizations) {
      const stack = new OrganizationStack(app, org.login, { organizationLogin: org.login, githubUrl: org.githubUrl, backend: org.backend });
      new OrgTokenPolicy(stack, "token-policy", { organization: org });
      // cdktf invokes aspects from each stack down, so the pack goes on every stack.
      Aspects.of(stack).add(checks);
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
    const errors = checks.findings.filter((f) => f.level === "error");
    if (errors.length === 0) throw e;
    fail([`${loaded.file}: ${errors.length} policy ${errors.length === 1 ? "error" : "errors"}`, ...errors.map((f) => `  ${where(loaded, f.organizationLogin)}: ${f.message}`)].join("\n"), 2);
  }
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
  for (const f of checks.findings.filter((x) => x.level === "warning")) process.stderr.write(`warning: ${where(loaded, f.organizationLogin)}: ${f.message}\n`);
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
