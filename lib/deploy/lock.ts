/**
 * One provider build from review to deploy: `terraform providers lock` for each organization's
 * stack, written to `terraform-locks/<login>.terraform.lock.hcl` beside the config. Synth copies
 * each into its stack folder (`cdktf.out/stacks/<login>/.terraform.lock.hcl`), so the plan of a
 * pull request and the deploy after it verify the same checksums.
 *
 * `terraform providers lock` does not read the CLI configuration's `provider_installation`, so
 * the mirror a `TF_CLI_CONFIG_FILE` names is passed to it as `-fs-mirror` or `-net-mirror`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { App } from "cdktf";
import { UsageError } from "../config/errors";
import { CommandFailure } from "../github/errors";
import type { OrganizationConfig } from "../config/schema";
import { OrganizationStack } from "../constructs/organization-stack";
import { OrgTokenPolicy } from "../constructs/org-token-policy";
import { GITHUB_PROVIDER_VERSION } from "../constructs/terraform-requirements";
import { LOCK_DIR, lockFilePath, parseLockFile, STACK_LOCK_FILE } from "../model/lock-file";
import { FileProblem, isRegularFile, readRegularFile } from "../regular-file";
import { withoutUserInfo } from "../secret-shape";

/** Largest Terraform CLI configuration file read. */
const MAX_CLI_CONFIG_BYTES = 256 * 1024;

/** The platforms `token-policy lock` records checksums for unless told otherwise. */
export const DEFAULT_PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64"] as const;

/** Options of {@link lockProviders}. */
export interface LockProvidersOptions {
  /** The config file; lock files go into `terraform-locks/` beside it. */
  readonly configFile: string;
  /** The organizations whose stacks are locked. */
  readonly organizations: readonly OrganizationConfig[];
  /** Platforms to record checksums for (`os_arch`). @default {@link DEFAULT_PLATFORMS} */
  readonly platforms?: readonly string[];
  /** The environment terraform runs with; its `TF_CLI_CONFIG_FILE` names a mirror to use. */
  readonly env: NodeJS.ProcessEnv;
  /** The terraform binary. @default "terraform" */
  readonly terraform?: string;
  /**
   * Lock the newest version each stack accepts, ignoring the versions of the committed lock files
   * (for example to move from a 6.11.x lock to the 6.12+ the stacks require).
   * @default false: a committed lock file's versions stay, and only checksums are added
   */
  readonly upgrade?: boolean;
}

/** One lock file written. */
export interface LockResult {
  readonly login: string;
  /** The lock file, relative to the config file's folder. */
  readonly file: string;
  /** Each provider the stack requires: its address and the version locked. */
  readonly providers: readonly { readonly source: string; readonly version: string }[];
  /** The mirror flag used, if any (`-fs-mirror=…`, `-net-mirror=…`), a URL's user info replaced by `<user info>`. */
  readonly mirror?: string;
}

/**
 * Runs `terraform providers lock` for each organization's stack and writes its lock file. A lock
 * file already committed seeds the run, so its versions stay and only checksums are added; delete
 * `upgrade` to move to the newest version the stack allows. A committed lock file whose github
 * provider version the stack no longer accepts is refused before terraform runs, naming
 * `--upgrade`. Nothing is written unless every organization locked.
 */
export function lockProviders(options: LockProvidersOptions): LockResult[] {
  const platforms = options.platforms?.length ? [...options.platforms] : [...DEFAULT_PLATFORMS];
  const bad = platforms.filter((p) => !/^[a-z0-9]+_[a-z0-9]+$/.test(p));
  if (bad.length)
    throw new UsageError(
      `--platform ${bad.map((p) => JSON.stringify(p)).join(", ")}: a platform is OS_ARCH, for example ${DEFAULT_PLATFORMS.join(", ")}`,
    );
  const mirror = mirrorFlag(options.env);
  const projectDir = dirname(resolve(options.configFile));
  if (!options.upgrade) {
    const stale = options.organizations.flatMap((org) => {
      const committed = join(projectDir, lockFilePath(org.login));
      if (!isRegularFile(committed)) return [];
      const pinned = parseLockFile(readFileSync(committed, "utf8")).get(GITHUB_PROVIDER_SOURCE)?.version;
      return pinned && !satisfies(pinned, GITHUB_PROVIDER_VERSION)
        ? [`${lockFilePath(org.login)} pins ${GITHUB_PROVIDER_SOURCE} ${pinned}`]
        : [];
    });
    if (stale.length)
      throw new UsageError(
        `${stale.join("; ")}, which the stacks no longer accept (${GITHUB_PROVIDER_VERSION}). Run \`token-policy lock --upgrade\` to lock the newest version they accept, and commit the lock files.`,
      );
  }
  const work = mkdtempSync(join(tmpdir(), "token-policy-lock-"));
  try {
    const locked = options.organizations.map((org) => {
      const dir = join(work, org.login.toLowerCase());
      mkdirSync(dir);
      // Only what `providers lock` reads: the required providers, no backend, no resources.
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: requiredProviders(org) }, null, 2));
      const committed = join(projectDir, lockFilePath(org.login));
      if (!options.upgrade && isRegularFile(committed)) writeFileSync(join(dir, STACK_LOCK_FILE), readFileSync(committed));
      const args = ["providers", "lock", ...platforms.map((p) => `-platform=${p}`), ...(mirror ? [mirror] : [])];
      try {
        execFileSync(options.terraform ?? "terraform", args, {
          cwd: dir,
          env: { ...options.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
          stdio: ["ignore", "pipe", "pipe"],
          encoding: "utf8",
        });
      } catch (e) {
        const err = e as { code?: string; stderr?: string; stdout?: string; message: string };
        if (err.code === "ENOENT")
          throw new CommandFailure(
            `${org.login}: terraform was not found on the PATH; install Terraform ≥ 1.7 (token-policy lock runs \`terraform providers lock\`)`,
          );
        const text = `${err.stderr ?? ""}${err.stdout ?? ""}`
          .replace(/\u001b\[[0-9;]*m/g, "")
          .replace(/[│╷╵]/g, "")
          .replace(/\s+/g, " ")
          .trim();
        throw new CommandFailure(withoutUserInfo(`${org.login}: terraform ${args.join(" ")} failed: ${text || err.message}`));
      }
      const text = readFileSync(join(dir, STACK_LOCK_FILE), "utf8");
      return { org, text };
    });
    mkdirSync(join(projectDir, LOCK_DIR), { recursive: true });
    return locked.map(({ org, text }) => {
      const file = lockFilePath(org.login);
      writeReplacing(join(projectDir, file), text);
      return {
        login: org.login,
        file,
        providers: [...parseLockFile(text)].map(([source, p]) => ({ source, version: p.version })),
        ...(mirror ? { mirror: withoutUserInfo(mirror) } : {}),
      };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The `terraform` block's required providers and version of one organization's stack, as synth writes them. */
export function requiredProviders(org: OrganizationConfig): Record<string, unknown> {
  const app = new App({ skipValidation: true });
  const stack = OrganizationStack.fromConfig(app, org);
  OrgTokenPolicy.fromConfig(stack, "token-policy", org);
  const tf = (stack.toTerraform() as { terraform?: Record<string, unknown> }).terraform ?? {};
  return { required_providers: tf.required_providers ?? {}, ...(tf.required_version ? { required_version: tf.required_version } : {}) };
}

/**
 * The mirror flag for `terraform providers lock` from the CLI configuration file that
 * `TF_CLI_CONFIG_FILE` names: its `filesystem_mirror` path or its `network_mirror` URL. More
 * than one mirror is refused: `providers lock` takes one, and picking one silently could lock
 * builds another mirror does not serve.
 */
export function mirrorFlag(env: NodeJS.ProcessEnv): string | undefined {
  const file = env.TF_CLI_CONFIG_FILE;
  if (!file) return undefined;
  let text: string;
  try {
    text = readRegularFile(file, MAX_CLI_CONFIG_BYTES);
  } catch (e) {
    if (!(e instanceof FileProblem)) throw e;
    throw new UsageError(`TF_CLI_CONFIG_FILE ${file}: ${e.message}`);
  }
  const block = /provider_installation\s*\{([\s\S]*)\}/.exec(text.replace(/(^|\s)(#|\/\/)[^\n]*/g, "$1"))?.[1];
  if (!block) return undefined;
  const mirrors = [
    ...[...block.matchAll(/filesystem_mirror\s*\{[^}]*?\bpath\s*=\s*"([^"]+)"/g)].map((m) => `-fs-mirror=${m[1]}`),
    ...[...block.matchAll(/network_mirror\s*\{[^}]*?\burl\s*=\s*"([^"]+)"/g)].map((m) => `-net-mirror=${m[1]}`),
  ];
  if (mirrors.length > 1) {
    throw new UsageError(
      `TF_CLI_CONFIG_FILE ${file} names ${mirrors.length} provider mirrors (${mirrors.map(withoutUserInfo).join(", ")}); terraform providers lock reads from one: point TF_CLI_CONFIG_FILE at a file with the one that serves every platform`,
    );
  }
  return mirrors[0];
}

/** Writes `text` beside `file` and renames it into place: never half a file, never through a symbolic link. */
function writeReplacing(file: string, text: string): void {
  if (existsSync(file) && !isRegularFile(file))
    throw new UsageError(`${file} is not a regular file (a symbolic link or a folder); remove it and run token-policy lock again`);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { flag: "wx" });
  renameSync(temp, file);
}

/** The github provider's address in lock files. */
const GITHUB_PROVIDER_SOURCE = "registry.terraform.io/integrations/github";

/** Whether `version` (`X.Y.Z`) meets every part of a constraint such as `>= 6.12.0, < 7.0.0`. */
export function satisfies(version: string, constraint: string): boolean {
  const v = version.split(".").map(Number);
  const compare = (other: string) => {
    const o = other.split(".").map(Number);
    for (let i = 0; i < 3; i++) if ((v[i] ?? 0) !== (o[i] ?? 0)) return (v[i] ?? 0) - (o[i] ?? 0);
    return 0;
  };
  return constraint.split(",").every((part) => {
    const m = /^\s*(>=|<=|>|<|=|!=)?\s*(\d+(?:\.\d+){0,2})\s*$/.exec(part);
    if (!m) return false;
    const c = compare(m[2]);
    switch (m[1] ?? "=") {
      case ">=":
        return c >= 0;
      case "<=":
        return c <= 0;
      case ">":
        return c > 0;
      case "<":
        return c < 0;
      case "!=":
        return c !== 0;
      default:
        return c === 0;
    }
  });
}
