/**
 * Runs the real Terraform binary on synthesized stacks, where one is on the PATH. No provider can
 * be downloaded here, so the stack is cut down to what Terraform checks on its own: the
 * `terraform` block (version, backend), variables, locals, `terraform_data` (with the input checks),
 * `removed` blocks and outputs that need no provider.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

/** The parts of a synthesized stack Terraform can check without the github provider. */
export function withoutProvider(tf: any, options: { backend?: "keep" | "local" } = {}): any {
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
  if (tf.resource?.terraform_data) out.resource = { terraform_data: tf.resource.terraform_data };
  const outputs = Object.entries(tf.output ?? {}).filter(([, o]: [string, any]) => !JSON.stringify(o.value).includes("github_"));
  if (outputs.length) out.output = Object.fromEntries(outputs);
  return out;
}

/** The result of one terraform command. */
export interface TerraformRun {
  readonly status: number | null;
  /** stdout and stderr together, without colour, white space folded (Terraform wraps long lines). */
  readonly output: string;
}

/** A fresh working directory holding `main.tf.json`. */
export function terraformDir(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "tf-"));
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
