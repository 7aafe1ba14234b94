/**
 * The plan guard: what a pull request may not change for its plan to run. The pull-request
 * plan job holds the state backend's credentials and a reader App's key, and the stack it
 * plans is synthesized from the pull request's config; whatever that config says about where
 * the state is or which GitHub the provider talks to, those credentials follow. So the plan
 * runs only on the base's settings: each change of them is named, and the plan refused. The
 * provider build that runs with those credentials is chosen by the organization's lock file
 * (`terraform-locks/<login>.terraform.lock.hcl`, which synth copies into the stack): its version and
 * checksums are the only check Terraform makes of a package from a mirror, so the pull request's
 * lock file must be the base's, byte for byte. Everything else the plan job runs (the code, the
 * provider's source and version range, `cdktf.json`, the npm lock file, Terraform's CLI settings)
 * is the base commit's, never read from the pull request. Pure; `token-policy plan-guard` drives
 * it and the report ranks the same changes first.
 */
import type { BackendConfig, OrganizationConfig } from "../config/schema";
import { parseLockFile } from "../model/lock-file";
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
const BUILD = "terraform would run a provider build the base does not trust, with the plan job's token and state credentials";

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

/**
 * The changes of the pull request's provider lock file (`head`) against the base's, for the
 * organization whose lock file is `file`; either text is undefined when that side has none. Any
 * difference is a change: a new version, checksums the base does not list (other builds accepted,
 * which is all a mirror's package is checked against), a provider added, the file added or
 * removed, or text that differs where the parser sees no change (Terraform may read it otherwise:
 * an escape in a string, say). Removing checksums is a change too: the base allows its own file.
 * Empty: the plan runs the build the base pinned.
 */
export function planProviderChanges(file: string, base: string | undefined, head: string | undefined): PlanCredentialChange[] {
  if (base === head) return [];
  if (head === undefined) return [{ setting: file, base: "present", head: "removed", why: BUILD }];
  if (base === undefined) return [{ setting: file, base: "absent", head: "added", why: BUILD }];
  const before = parseLockFile(base);
  const after = parseLockFile(head);
  const out: PlanCredentialChange[] = [];
  for (const [source, p] of after) {
    const was = before.get(source);
    if (!was) out.push({ setting: `${file}: provider ${source}`, base: "not locked", head: p.version || "no version", why: BUILD });
    else if (was.version !== p.version) out.push({ setting: `${file}: ${source} version`, base: was.version, head: p.version, why: BUILD });
    else {
      const added = p.hashes.filter((h) => !was.hashes.includes(h));
      const removed = was.hashes.filter((h) => !p.hashes.includes(h));
      if (added.length || removed.length)
        out.push({
          setting: `${file}: ${source} ${p.version} checksums`,
          base: `${was.hashes.length} listed`,
          head: [added.length ? `${added.length} not in the base` : "", removed.length ? `${removed.length} removed` : ""]
            .filter(Boolean)
            .join(", "),
          why: BUILD,
        });
    }
  }
  for (const [source, p] of before)
    if (!after.has(source)) out.push({ setting: `${file}: provider ${source}`, base: p.version, head: "not locked", why: BUILD });
  if (!out.length)
    out.push({ setting: file, base: "the base's text", head: "other text, the same providers as far as this reader sees", why: BUILD });
  return out;
}
