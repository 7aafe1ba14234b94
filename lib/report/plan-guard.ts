/**
 * The plan guard: what a pull request may not change for its plan to run. The pull-request
 * plan job holds the state backend's credentials and a reader App's key, and the stack it
 * plans is synthesized from the pull request's config; whatever that config says about where
 * the state is or which GitHub the provider talks to, those credentials follow. So the plan
 * runs only on the base's settings: each change of them is named, and the plan refused. Pure;
 * `token-policy plan-guard` drives it and the report ranks the same changes first.
 */
import type { BackendConfig, OrganizationConfig } from "../config/schema";
import { apiUrlFor } from "../naming";

/** One setting the plan's credentials would follow, changed by the pull request. */
export interface PlanCredentialChange {
  /** The setting, as the config names it (`backend.bucket`, `githubUrl`). */
  readonly setting: string;
  /** Its value in the base ("unset" when absent). */
  readonly base: string;
  /** Its value in the pull request. */
  readonly head: string;
  /** What the credentials would do with it. */
  readonly why: string;
}

const STATE = "the plan job's state-backend credentials would read (and lock) the state there";
const HOST = "the reader App's JWT and token, and the provider, would go to that host";

/** Every backend field of either side, `type` first: each one decides where the state credentials act. */
function backendFields(a: BackendConfig, b: BackendConfig): string[] {
  const keys = new Set(["type", ...Object.keys(a), ...Object.keys(b)]);
  return [...keys];
}

const shown = (v: unknown) => (v === undefined ? "unset" : typeof v === "string" ? v : JSON.stringify(v));

/**
 * The changes of `head` (the pull request's entry of an organization) against `base` that the
 * plan job's credentials would follow: the state backend (every field: type, bucket, key,
 * region, role, lock table, workspace, project, host, prefix, schema, local path), the GitHub
 * host and API root, and whether a private host is allowed. Empty: the plan may run.
 */
export function planCredentialChanges(base: OrganizationConfig, head: OrganizationConfig): PlanCredentialChange[] {
  const out: PlanCredentialChange[] = [];
  const a = base.backend as Record<string, unknown>;
  const b = head.backend as Record<string, unknown>;
  for (const k of backendFields(base.backend, head.backend)) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k]))
      out.push({ setting: `backend.${k}`, base: shown(a[k]), head: shown(b[k]), why: STATE });
  }
  if (base.githubUrl !== head.githubUrl) out.push({ setting: "githubUrl", base: base.githubUrl, head: head.githubUrl, why: HOST });
  const apiA = apiUrlFor(base.githubUrl);
  const apiB = apiUrlFor(head.githubUrl);
  if (apiA !== apiB) out.push({ setting: "API root", base: apiA, head: apiB, why: HOST });
  if (Boolean(base.allowPrivateHost) !== Boolean(head.allowPrivateHost))
    out.push({
      setting: "allowPrivateHost",
      base: shown(base.allowPrivateHost ?? false),
      head: shown(head.allowPrivateHost ?? false),
      why: HOST,
    });
  return out;
}

/** One line per change, for a person: `backend.bucket: a → b (the plan job's … there)`. */
export function planCredentialChangeText(c: PlanCredentialChange): string {
  return `${c.setting}: ${c.base} → ${c.head} (${c.why})`;
}
