/**
 * The cdktf app: load and validate the whole config and run the policy checks once on every
 * organization (nothing is constructed or written when either fails, and every problem of every
 * organization is reported at once), create one stack per organization and one per enterprise,
 * synthesize (`lib/synth`: on two threads for a large config); the same findings give the errors,
 * the warnings and the annotations (a synth worker runs the same pure checks again on its
 * organizations for their annotations: its findings are not sent across).
 *
 * Output is synthesized into a temporary sibling directory and moved into place only when every
 * stack passed, so a failed synth leaves cdktf.out as it was. Each stack gets its committed
 * provider lock file (`terraform-locks/<login>.terraform.lock.hcl` beside the config, written by
 * `token-policy lock`); a lock file is never deleted.
 */
import "./lib/runtime/check-node"; // first: an older Node is told what to install before Octokit fails to load
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { ConfigError } from "./lib/config/errors";
import { configFileName, readConfig, type ValidOrganization } from "./lib/config/load";
import { enterpriseOf } from "./lib/config/effective-policy";
import { checkOrganization, type PolicyFinding } from "./lib/policy-checks/check-pack";
import { defaultStateKeys, enterpriseStackName } from "./lib/naming";
import { lockFilePath, STACK_LOCK_FILE } from "./lib/model/lock-file";
import { ConstructRefusal } from "./lib/synth/stacks";
import { synthesizeStacks } from "./lib/synth/synthesize";
import { PROVIDER_ENVIRONMENT_SWITCHES } from "./lib/constructs/terraform-requirements";
import { isRegularFile } from "./lib/regular-file";

async function main(): Promise<void> {
  // No update checks from the app's own process: CI networks are often closed.
  process.env.CHECKPOINT_DISABLE ??= "1";
  // The provider would read these where terraform runs, over what each stack says.
  const overriding = Object.keys(PROVIDER_ENVIRONMENT_SWITCHES).filter((name) => process.env[name]);
  if (overriding.length) {
    const names = overriding.join(" and ");
    fail(
      [
        `${names} ${overriding.length === 1 ? "is" : "are"} set in the environment. The github provider reads ${overriding.length === 1 ? "it" : "them"} where terraform runs:`,
        ...overriding.map((name) => `  ${name} ${PROVIDER_ENVIRONMENT_SWITCHES[name]}.`),
        `Unset ${names}: each stack names its own organization and host, and authenticates with the token in GITHUB_TOKEN.`,
      ].join("\n"),
      2,
    );
  }
  const file = configFileName();
  const parsed = readConfig(file);
  // The policy checks run once on every organization that is valid on its own, before anything
  // is built, even when the file has problems: one run reports every problem of the file.
  const checked = parsed.validOrganizations.map((org) => ({ ...org, findings: checkOrganization(org.config) }));
  // Where each finding is written (`file:line:col`), from the document readConfig parsed: the file is read once.
  const place = parsed.placeFinding ?? (() => file);
  const errors = policyErrors(file, checked, place);
  if (!parsed.config) fail([new ConfigError(parsed.problems).message, ...errors].join("\n"), 2);
  if (errors.length) fail(errors.join("\n"), 2);
  const loaded = { file, config: parsed.config };

  const outdir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
  // Synth replaces the output folder whole: it must hold nothing else of the project's.
  const shownOut = relative(process.cwd(), outdir) || ".";
  if (isWithin(outdir, process.cwd()) || isWithin(outdir, resolve(loaded.file))) {
    fail(
      `CDKTF_OUTDIR is ${process.env.CDKTF_OUTDIR}, which holds the project folder: every synth replaces that folder whole. Name a folder of its own, such as cdktf.out.`,
      2,
    );
  }
  const states = [
    ...loaded.config.enterprises.map((e, i) => ({
      name: enterpriseStackName(e.slug),
      backend: e.backend,
      where: `enterprises[${i}].backend.path`,
    })),
    ...loaded.config.organizations.map((o, i) => ({ name: o.login, backend: o.backend, where: `organizations[${i}].backend.path` })),
  ].flatMap(({ name, backend, where }) => {
    if ((backend?.type ?? "local") !== "local") return [];
    const file = resolve((backend?.type === "local" && backend.path) || defaultStateKeys(name).localPath);
    return isWithin(outdir, file)
      ? [
          `${loaded.file}: ${where} keeps the state of ${name} in ${relative(process.cwd(), file)}, inside ${shownOut}, which every synth replaces whole: the state would be deleted. Keep state outside ${shownOut} (by default terraform.<login>.tfstate in the project).`,
        ]
      : [];
  });
  if (states.length) fail(states.join("\n"), 2);
  mkdirSync(dirname(outdir), { recursive: true });
  const staging = mkdtempSync(resolve(dirname(outdir), `.${basename(outdir)}.staging-`));
  const part = {
    enterprises: loaded.config.enterprises,
    organizations: loaded.config.organizations.map((config, index) => ({ index, config, enterprise: enterpriseOf(loaded.config, config) })),
  };
  const findings = new Map(checked.map(({ config, findings }) => [config.login, findings]));
  let stacks: string[];
  try {
    stacks = await synthesizeStacks({ outdir: staging, part, findings, debug: Boolean(process.env.TOKEN_POLICY_DEBUG) });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    // A construct refused what the schema let through: still the config's fault, not a crash.
    if (e instanceof ConstructRefusal) fail(`${loaded.file}: ${e.message}${process.env.TOKEN_POLICY_DEBUG ? `\n${e.detail}` : ""}`, 2);
    throw e;
  }
  // cdktf's synth deletes each stack's .terraform.lock.hcl: put back the committed one
  // (terraform-locks/, from `token-policy lock`), else the one the stack folder had.
  const pinned: string[] = [];
  for (const login of stacks) {
    const committed = resolve(dirname(resolve(loaded.file)), lockFilePath(login));
    const previous = resolve(outdir, "stacks", login, STACK_LOCK_FILE);
    const source = isRegularFile(committed) ? committed : isRegularFile(previous) ? previous : undefined;
    if (source) copyFileSync(source, resolve(staging, "stacks", login, STACK_LOCK_FILE));
    if (source === committed) pinned.push(login);
  }
  // The cdktf CLI lists the stack folders before it runs the app and deletes those the new
  // manifest lacks afterwards, failing (ENOENT) on one that is gone: under the CLI, a stack
  // folder of a removed or renamed stack moves into the new output for the CLI to delete.
  if (underCdktfCli()) {
    const current = new Set(stacks);
    for (const orphan of stackFolders(outdir).filter((name) => !current.has(name))) {
      renameSync(resolve(outdir, "stacks", orphan), resolve(staging, "stacks", orphan));
    }
  }
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);

  const warnings = checked.flatMap(({ index, config, findings }) =>
    findings.filter((f) => f.level === "warning").map((f) => ({ ...f, index, login: config.login })),
  );
  for (const f of warnings)
    process.stderr.write(`warning: ${place(f.index, f.detail)} organizations[${f.index}] (${f.login}): ${f.message}\n`);
  const shown = shownOut;
  const lines = [`Synthesized ${loaded.file} into ${shown}:`];
  for (const id of stacks)
    lines.push(`  ${id}: ${shown}/stacks/${id}/cdk.tf.json${pinned.includes(id) ? ` (provider pinned by ${lockFilePath(id)})` : ""}`);
  lines.push(`${warnings.length} policy ${warnings.length === 1 ? "warning" : "warnings"}${warnings.length ? " (above)" : ""}.`);
  lines.push(
    "Next: `token-policy report` for the policy report (in a checkout: `npm run -s cli -- report`), then `npx cdktf diff` to see the plan.",
  );
  process.stdout.write(lines.join("\n") + "\n");
}

/** The policy checks' errors on these organizations, headed by their count; nothing when there are none. */
function policyErrors(
  file: string,
  orgs: readonly (ValidOrganization & { readonly findings: readonly PolicyFinding[] })[],
  place: (index: number, detail: string) => string,
): string[] {
  const errors = orgs.flatMap(({ index, config, findings }) =>
    findings
      .filter((f) => f.level === "error")
      .map((f) => `  ${place(index, f.detail)} organizations[${index}] (${config.login}): ${f.message}`),
  );
  return errors.length ? [`${file}: ${errors.length} policy ${errors.length === 1 ? "error" : "errors"}`, ...errors] : [];
}

/**
 * Whether the cdktf CLI (`cdktf synth`, `diff`, `deploy`) runs this app: it sets these variables
 * on the app's command only.
 */
function underCdktfCli(): boolean {
  return process.env.CDKTF_CONTEXT_JSON !== undefined || process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
}

/** The stack folders `outdir/stacks/*` holds now (none when there is no output yet). */
function stackFolders(outdir: string): string[] {
  const stacksDir = resolve(outdir, "stacks");
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

/** Whether `path` is `folder` or inside it. */
function isWithin(folder: string, path: string): boolean {
  const r = relative(folder, path);
  return r === "" || (r.split(sep)[0] !== ".." && !isAbsolute(r));
}

function fail(message: string, code: number): never {
  process.stderr.write(message + "\n");
  process.exit(code);
}

// A failure that is not the config's ends the process as an uncaught error, with its stack.
main().catch((e: unknown) =>
  setImmediate(() => {
    throw e;
  }),
);
