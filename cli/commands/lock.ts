/**
 * `token-policy lock`: pin each stack's provider build. Runs `terraform providers lock` for each
 * organization (or one) and writes `terraform-locks/<login>.terraform.lock.hcl` beside the config;
 * commit them. Synth copies each into its stack, and the example workflows refuse to plan or
 * deploy a stack without one.
 */
import { DEFAULT_PLATFORMS, lockProviders, type LockResult } from "../../lib/deploy/lock";
import { loadOrganizations } from "../context";
import { lockedJson, lockedText } from "../render/lock";
import type { CommandIO } from "../io";

/** Options of {@link lock}. */
export interface LockOptions {
  /** Config file. @default TOKEN_POLICY_CONFIG or token-policy.yaml */
  readonly config?: string;
  /** Only this organization's stack. @default every organization */
  readonly org?: string;
  /** Platforms (`os_arch`) to record checksums for. @default linux_amd64, linux_arm64, darwin_amd64, darwin_arm64, windows_amd64 */
  readonly platform?: readonly string[];
  /** Lock the newest provider version each stack accepts, not the committed lock file's. @default false */
  readonly upgrade?: boolean;
  /** Print one JSON object (platforms, mirror, each lock file and its providers) instead of the table. @default false */
  readonly json?: boolean;
}

/** Writes each stack's provider lock file and prints what it locked. */
export async function lock(options: LockOptions, io: CommandIO): Promise<LockResult[]> {
  const { loaded, organizations } = loadOrganizations(options, io.env);
  const platforms = options.platform?.length ? options.platform : DEFAULT_PLATFORMS;
  const results = lockProviders({ configFile: loaded.file, organizations, platforms, env: io.env, upgrade: options.upgrade });
  io.stdout.write((options.json ? lockedJson : lockedText)(results, platforms));
  return results;
}
