/**
 * `token-policy plan-guard`: run by the pull-request plan job before any token is minted. It
 * compares one organization's entry in the pull request's config (`--config`) with the base's
 * (`--base-file`) and refuses (exit 1), naming each change, when the pull request changes
 * anything the job's credentials would follow (`lib/report/plan-guard`): the state backend, the
 * GitHub host and API root, and the provider lock file beside each config (`terraform-locks/`), which
 * decides the provider build that runs. Such a change is planned after merge; the report ranks it first.
 */
import { configFileName, findOrganization, loadConfig } from "../../lib/config/load";
import { CommandFailure } from "../../lib/github/errors";
import { lockFilePath } from "../../lib/model/lock-file";
import { readLockFiles } from "../../lib/report/git-base";
import {
  planCredentialChanges,
  planCredentialChangeText,
  planProviderChanges,
  type PlanCredentialChange,
} from "../../lib/report/plan-guard";
import type { CommandIO } from "../io";

/** Options of {@link planGuard}. */
export interface PlanGuardOptions {
  /** The organization the plan is for. */
  readonly org: string;
  /** The pull request's config. @default TOKEN_POLICY_CONFIG or token-policy.yaml */
  readonly config?: string;
  /** The base branch's config. */
  readonly baseFile: string;
  /**
   * Print one JSON object, `{ org, plan: "may run" | "removed" | "refused", changes }`, also when
   * refused (exit 1, the message still on stderr). @default false
   */
  readonly json?: boolean;
}

/** What is printed when the plan may run. */
const PASSED = {
  removed: "the pull request removes it from the config; nothing of it is planned",
  "may run": "the pull request keeps the state backend, the GitHub host and the provider lock file; the plan may run",
} as const;

/** Checks one organization; returns the changes found (none: the plan may run), throws when there are any. */
export async function planGuard(options: PlanGuardOptions, io: CommandIO): Promise<PlanCredentialChange[]> {
  const base = findOrganization(loadConfig(options.baseFile), options.org);
  const headFile = configFileName(options.config, io.env);
  const headConfig = loadConfig(headFile);
  const head = headConfig.config.organizations.find((o) => o.login.toLowerCase() === base.login.toLowerCase());
  const key = base.login.toLowerCase();
  const changes = head
    ? [
        ...planCredentialChanges(base, head),
        ...planProviderChanges(
          lockFilePath(base.login),
          readLockFiles(options.baseFile, [base]).get(key),
          readLockFiles(headFile, [head]).get(key),
        ),
      ]
    : [];
  const plan = !head ? "removed" : changes.length ? "refused" : "may run";
  if (options.json) io.stdout.write(`${JSON.stringify({ org: base.login, plan, changes }, null, 2)}\n`);
  else if (plan !== "refused") io.stdout.write(`${base.login}: ${PASSED[plan]}.\n`);
  if (plan !== "refused") return changes;
  throw new CommandFailure(
    `${base.login}: the pull request changes what the plan job's credentials would follow; no token is minted and nothing is planned:\n${changes
      .map((c) => `  - ${planCredentialChangeText(c)}`)
      .join("\n")}\nReview these changes in the report (ranked first); the organization is planned after merge, with the new settings.`,
  );
}
