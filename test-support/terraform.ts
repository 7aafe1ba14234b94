/**
 * Runs the real Terraform binary on synthesized stacks, where one is on the PATH. No provider can
 * be downloaded here, so the stack is cut down to what Terraform checks on its own: the
 * `terraform` block (version, backend), variables, locals, `terraform_data` (with the input checks),
 * `removed` blocks and outputs that need no provider.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./temp";

/** The terraform binary's path, or undefined when there is none. */
export function terraformBinary(): string | undefined {
  const r = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  return r.status === 0 ? "terraform" : undefined;
}

/** The environment every run gets: no update checks, no CLI config, no real cloud endpoint. */
const BASE_ENV = {
  CHECKPOINT_DISABLE: "1",
  TF_CLI_CONFIG_FILE: "/dev/null",
  TF_IN_AUTOMATION: "1",
  TF_INPUT: "0",
};

/** The address a github resource's stand-in gets: `terraform_data.<type>__<name>`. */
export function standInAddress(address: string): string {
  return `terraform_data.${address.replace(".", "__")}`;
}

/**
 * The parts of a synthesized stack Terraform can check without the github provider. With
 * `standIns`, every `github_*` resource becomes a `terraform_data` stand-in (input: its address)
 * that keeps its `depends_on` on other resources and its `replace_triggered_by`, rewritten to
 * stand-ins: Terraform then checks those arguments' syntax, and a plan shows which resources it
 * would plan when an input check fails. Dependencies on data sources are dropped (no data source
 * can be read without the provider). With `standInArguments`, a stand-in's input is an object of
 * its address and those of its arguments the resource sets, as written: Terraform evaluates them,
 * and a saved plan (`terraform show -json`) holds their values. Repository-id lookups become fixed ids.
 */
export function withoutProvider(
  tf: any,
  options: { backend?: "keep" | "local"; standIns?: boolean; standInArguments?: readonly string[] } = {},
): any {
  const out: any = {};
  const terraform = { ...tf.terraform };
  delete terraform.required_providers;
  if (options.backend === "local") {
    delete terraform.backend;
    delete terraform.cloud;
  }
  out.terraform = terraform;
  if (tf.variable) out.variable = tf.variable;
  if (tf.locals) out.locals = tf.locals;
  if (tf.removed) out.removed = tf.removed;
  const rewrite = (a: string) => (a.startsWith("github_") ? standInAddress(a) : a);
  // The stack's own terraform_data (a witness of a secret's write, say) may depend on github
  // resources: on their stand-ins, or on nothing when there are none.
  const data: Record<string, unknown> = Object.fromEntries(
    Object.entries((tf.resource?.terraform_data ?? {}) as Record<string, any>).map(([name, r]) => {
      if (!r.depends_on) return [name, r];
      const dependsOn = (r.depends_on as string[]).filter((a) => !a.startsWith("data.") && (options.standIns || !a.startsWith("github_")));
      const { depends_on: _dropped, ...rest } = r;
      return [name, dependsOn.length ? { ...rest, depends_on: dependsOn.map(rewrite) } : rest];
    }),
  );
  if (options.standIns) {
    for (const [type, byName] of Object.entries(tf.resource ?? {}) as [string, Record<string, any>][]) {
      if (!type.startsWith("github_")) continue;
      for (const [name, r] of Object.entries(byName)) {
        const dependsOn = (r.depends_on ?? []).filter((a: string) => !a.startsWith("data.")).map(rewrite);
        const replace = r.lifecycle?.replace_triggered_by?.map(rewrite);
        const args = (options.standInArguments ?? []).filter((a) => a in r).map((a) => [a, r[a]]);
        const input = args.length ? { address: `${type}.${name}`, ...Object.fromEntries(args) } : `${type}.${name}`;
        data[`${type}__${name}`] = {
          input,
          ...(dependsOn.length ? { depends_on: dependsOn } : {}),
          ...(replace ? { lifecycle: { replace_triggered_by: replace } } : {}),
        };
      }
    }
  }
  if (Object.keys(data).length) out.resource = { terraform_data: data };
  const outputs = Object.entries(tf.output ?? {}).filter(([, o]: [string, any]) => !JSON.stringify(o.value).includes("github_"));
  if (outputs.length) out.output = Object.fromEntries(outputs);
  return withRepositoryIds(out);
}

/**
 * A configuration whose repository-id lookups (`${jsondecode(data.github_rest_api.<name>.body).id}`,
 * or `${data.github_repository.<name>.repo_id}` as stacks wrote them before, both needing the
 * provider) are replaced by fixed ids, one per lookup: what a plan would have read.
 */
function withRepositoryIds(config: unknown): any {
  const ids = new Map<string, number>();
  const lookups = /\$\{(?:jsondecode\(data\.github_rest_api\.([^.}]+)\.body\)\.id|data\.github_repository\.([^.}]+)\.repo_id)\}/g;
  const text = JSON.stringify(config).replace(lookups, (_m, restApi: string | undefined, repository: string | undefined) => {
    const name = restApi ?? repository!;
    if (!ids.has(name)) ids.set(name, 1001 + ids.size);
    return String(ids.get(name));
  });
  return JSON.parse(text);
}

/** A filesystem provider mirror and the CLI config that installs from it, as a closed network has. */
export interface ProviderMirror {
  /** The mirror's root (`registry.terraform.io/integrations/github/<version>/<platform>/…`). */
  readonly dir: string;
  /** A CLI config file (for `TF_CLI_CONFIG_FILE`) that installs the github provider from the mirror only. */
  readonly cliConfigFile: string;
}

/** Terraform's name of this machine's platform (`linux_amd64`). */
export const TERRAFORM_PLATFORM = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

/**
 * A mirror holding a stand-in github provider package for this platform (an executable that
 * fails when started): enough for `terraform init` to resolve, install and lock the provider
 * without a network, not to plan.
 */
export function providerMirror(version = "6.13.0"): ProviderMirror {
  const root = tempDir("tf-mirror-");
  const dir = join(root, "mirror");
  const pkg = join(dir, "registry.terraform.io", "integrations", "github", version, TERRAFORM_PLATFORM);
  mkdirSync(pkg, { recursive: true });
  const binary = join(pkg, `terraform-provider-github_v${version}`);
  writeFileSync(binary, "#!/bin/sh\necho 'stand-in provider package: not a provider' >&2\nexit 1\n");
  chmodSync(binary, 0o755);
  const cliConfigFile = join(root, "mirror.tfrc");
  writeFileSync(
    cliConfigFile,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(dir)}\n    include = ["registry.terraform.io/integrations/github"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/integrations/github"]\n  }\n}\n`,
  );
  return { dir, cliConfigFile };
}

/** The result of one terraform command. */
export interface TerraformRun {
  readonly status: number | null;
  /** stdout and stderr together, without colour, white space folded (Terraform wraps long lines). */
  readonly output: string;
}

/** A fresh working directory holding `main.tf.json`. */
export function terraformDir(config: unknown): string {
  const dir = tempDir("tf-");
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
  return dir;
}

/** Runs `terraform ARGS` in `dir`; killed after `timeoutMs` (terraform waits out SIGTERM). */
export function terraform(dir: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): TerraformRun {
  const r = spawnSync("terraform", [...args, "-no-color"], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...BASE_ENV, ...env },
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  return { status: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}`.replace(/\s+/g, " ") };
}

/** What Terraform made of values: each as it evaluated it, and everything it printed. */
export interface Evaluation {
  readonly values: Record<string, unknown>;
  /** stdout and stderr of every command run, as printed. */
  readonly output: string;
}

/**
 * Terraform's value of each entry of `values`, evaluated as the arguments of a resource are: the
 * `output` values of a provider-free configuration, planned once and read from the saved plan
 * (`terraform show -json`). One `plan` and one `show` for the whole batch. Throws, with
 * Terraform's output, when either fails.
 */
export function evaluateInTerraform(values: Record<string, unknown>): Evaluation {
  const dir = terraformDir({ output: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])) });
  let output = "";
  const run = (args: string[]): string => {
    const r = spawnSync("terraform", [...args, "-no-color"], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 512 * 1024 * 1024,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...BASE_ENV },
      timeout: 180_000,
      killSignal: "SIGKILL",
    });
    output += `${r.stdout ?? ""}${r.stderr ?? ""}`;
    if (r.status !== 0) throw new Error(`terraform ${args[0]} failed: ${`${r.stdout ?? ""}${r.stderr ?? ""}`.slice(0, 4000)}`);
    return r.stdout;
  };
  run(["plan", "-input=false", "-out=tfplan"]);
  const planned = JSON.parse(run(["show", "-json", "tfplan"])).planned_values.outputs as Record<string, { value: unknown }>;
  return { values: Object.fromEntries(Object.entries(planned).map(([k, o]) => [k, o.value])), output };
}
