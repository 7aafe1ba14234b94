/**
 * Checks across entries, which no single entry's schema can see: duplicate logins (GitHub's are
 * case-insensitive), logins whose Terraform variables would share names, the enterprise layer
 * (duplicate slugs, an organization naming an unlisted enterprise, on another host, or declaring
 * what its enterprise forbids; an enterprise stack named like an organization), and stacks whose
 * backends would share one state.
 */
import { posix } from "node:path";
import { defaultStateKeys, enterpriseStackName, sameGitHubInstance, variableStem, webRoot } from "../naming";
import { didYouMean } from "../text";
import { enterpriseConflicts } from "./effective-policy";
import { formatPath, getIn, hasPath, problemAt, showValue, type ConfigSource, type Problem } from "./problems";
import {
  DEFAULT_GITHUB_URL,
  enterpriseSchema,
  isRecord,
  LOGIN_PATTERN,
  type BackendConfig,
  type EnterpriseConfig,
  type TokenPolicyConfig,
} from "./schema";

/**
 * The enterprise layer's problems: duplicate slugs, an organization naming an enterprise that is
 * not listed, on another host than its enterprise, or declaring what its enterprise forbids, and
 * an enterprise whose stack name (`enterprise-SLUG`) is an organization's login.
 */
export function enterpriseProblems(input: Record<string, unknown>, source: ConfigSource): Problem[] {
  const { raw } = source;
  const out: Problem[] = [];
  const entries = Array.isArray(input.enterprises) ? input.enterprises : [];
  const orgs = Array.isArray(input.organizations) ? input.organizations : [];
  const bySlug = new Map<string, { index: number; enterprise?: EnterpriseConfig }>();
  entries.forEach((e, i) => {
    const parsed = enterpriseSchema.safeParse(e);
    const slug = parsed.success ? parsed.data.slug : isRecord(e) && typeof e.slug === "string" ? e.slug : undefined;
    if (slug === undefined) return;
    const first = bySlug.get(slug.toLowerCase());
    if (first) {
      out.push(
        problemAt(
          source,
          ["enterprises", i, "slug"],
          `duplicate enterprise slug (first used by enterprises[${first.index}]), got ${showValue(slug)}`,
        ),
      );
      return;
    }
    bySlug.set(slug.toLowerCase(), { index: i, enterprise: parsed.success ? parsed.data : undefined });
    const clash = orgs.findIndex(
      (o) => isRecord(o) && typeof o.login === "string" && o.login.toLowerCase() === enterpriseStackName(slug.toLowerCase()),
    );
    if (clash >= 0) {
      out.push(
        problemAt(
          source,
          ["enterprises", i, "slug"],
          `names the stack ${enterpriseStackName(slug)}, which is organizations[${clash}]'s login; the two stacks and their state would collide`,
        ),
      );
    }
  });
  orgs.forEach((o, i) => {
    if (!isRecord(o) || typeof o.enterprise !== "string") return;
    // Reported where the value is written: the organization's own entry, else `defaults`.
    const problem = (rest: PropertyKey[], message: string) => {
      const own = getIn(raw, ["organizations", i]);
      const path =
        !hasPath(own, rest) && isRecord(raw.defaults) && hasPath(raw.defaults, rest)
          ? ["defaults", ...rest]
          : ["organizations", i, ...rest];
      return problemAt(source, path, message);
    };
    const found = bySlug.get(o.enterprise.toLowerCase());
    if (!found) {
      const known = [...bySlug.values()].map((e) => e.enterprise?.slug).filter(Boolean);
      out.push(
        problem(
          ["enterprise"],
          `names no enterprise listed in enterprises (${known.length ? `it lists ${known.join(", ")}` : "it lists none"}), got ${showValue(o.enterprise)}${didYouMean(o.enterprise, known as string[])}`,
        ),
      );
      return;
    }
    const enterprise = found.enterprise;
    if (!enterprise) return; // its own problems are reported at the enterprise
    const host = typeof o.githubUrl === "string" ? o.githubUrl : DEFAULT_GITHUB_URL;
    if (!sameGitHubInstance(host, enterprise.githubUrl)) {
      out.push(
        problem(
          o.githubUrl === undefined ? ["enterprise"] : ["githubUrl"],
          `is on ${webRoot(host)}, but enterprise ${enterprise.slug} is on ${webRoot(enterprise.githubUrl)}; an organization belongs to an enterprise on its own GitHub instance`,
        ),
      );
    }
    for (const conflict of enterpriseConflicts(o.patPolicy, enterprise)) out.push(problem(["patPolicy", conflict.key], conflict.message));
  });
  return out;
}

/** Logins are case-insensitive on GitHub: two entries for one org would fight over its settings. */
export function duplicateLogins(orgs: unknown[], source: ConfigSource): Problem[] {
  const seen = new Map<string, number>();
  const out: Problem[] = [];
  orgs.forEach((o, i) => {
    const login = isRecord(o) && typeof o.login === "string" ? o.login : undefined;
    if (!login) return;
    const first = seen.get(login.toLowerCase());
    if (first === undefined) seen.set(login.toLowerCase(), i);
    else {
      out.push(
        problemAt(
          source,
          ["organizations", i, "login"],
          `duplicate login (first used by organizations[${first}]; logins are case-insensitive), got ${showValue(login)}`,
        ),
      );
    }
  });
  return out;
}

/**
 * Two logins whose Terraform variables and CI inputs would share names (`1acme` and `org-1acme`
 * both make `org_1acme_…` and `ORG_1ACME_…`): one organization would read the other's App and key.
 */
export function stemCollisions(orgs: unknown[], source: ConfigSource): Problem[] {
  const seen = new Map<string, { index: number; login: string }>();
  const out: Problem[] = [];
  orgs.forEach((o, i) => {
    const login = isRecord(o) && typeof o.login === "string" && LOGIN_PATTERN.test(o.login) ? o.login : undefined;
    if (!login) return;
    const stem = variableStem(login);
    const first = seen.get(stem);
    if (!first) return void seen.set(stem, { index: i, login });
    if (first.login.toLowerCase() === login.toLowerCase()) return; // a duplicate login, reported as such
    out.push(
      problemAt(
        source,
        ["organizations", i, "login"],
        `${login} and ${first.login} (organizations[${first.index}]) would share the variable names ${stem}_… (TF_VAR_${stem}_app_id, ${stem.toUpperCase()}_APP_ID, …), so one would read the other's App and key: keep one of them in a separate config file`,
      ),
    );
  });
  return out;
}

/** Where a backend keeps one stack's state, the key that names that place, and the key's default. */
function stateLocation(b: BackendConfig, name: string): { place: string; field: string; perStack: string } {
  const keys = defaultStateKeys(name);
  switch (b.type) {
    case "local":
      return {
        place: `local ${posix.normalize((b.path ?? keys.localPath).replace(/\\/g, "/"))}`,
        field: "path",
        perStack: "terraform.<login>.tfstate",
      };
    case "s3":
      return { place: `s3 bucket ${b.bucket}, key ${b.key ?? keys.s3Key}`, field: "key", perStack: "github-token-policy/<login>.tfstate" };
    case "gcs":
      return {
        place: `gcs bucket ${b.bucket}, prefix ${b.prefix ?? keys.gcsPrefix}`,
        field: "prefix",
        perStack: "github-token-policy/<login>",
      };
    case "cloud":
      return {
        place: `cloud ${b.hostname ?? "app.terraform.io"} organization ${b.organization}, workspace ${b.workspace ?? keys.cloudWorkspace}`,
        field: "workspace",
        perStack: "github-token-policy-<login>",
      };
    case "pg":
      return { place: `pg schema ${b.schemaName ?? keys.pgSchema}`, field: "schemaName", perStack: "github_token_policy_<stem>" };
  }
}

/**
 * Stacks whose backends name one state (a `path`, `key`, `prefix`, `workspace` or `schemaName`
 * set in `defaults.backend` reaches every stack): each stack would plan destroying what the
 * others created. Reported where the shared name is written, once per place.
 */
export function sharedStates(config: TokenPolicyConfig, source: ConfigSource): Problem[] {
  const { raw } = source;
  const stacks = [
    ...config.enterprises.map((e, i) => ({
      name: enterpriseStackName(e.slug),
      backend: e.backend ?? ({ type: "local" } as BackendConfig),
      own: ["enterprises", i],
      merged: false,
    })),
    ...config.organizations.map((o, i) => ({ name: o.login, backend: o.backend, own: ["organizations", i], merged: true })),
  ];
  const byPlace = new Map<string, { names: string[]; field: string; perStack: string; where: PropertyKey[][] }>();
  for (const s of stacks) {
    const loc = stateLocation(s.backend, s.name);
    const group = byPlace.get(loc.place) ?? { names: [], field: loc.field, perStack: loc.perStack, where: [] };
    group.names.push(s.name);
    // Where the backend (and the key naming the place) is written: the stack's own entry, else defaults.
    // (An organization's backend is merged over defaults.backend; an enterprise's replaces it.)
    const own = [...s.own, "backend"];
    const defaults = ["defaults", "backend"];
    const candidates = s.merged
      ? [[...own, loc.field], [...defaults, loc.field], own, defaults]
      : hasPath(raw, own)
        ? [[...own, loc.field], own]
        : [[...defaults, loc.field], defaults];
    const where = candidates.find((c) => hasPath(raw, c)) ?? own;
    if (!group.where.some((w) => formatPath(w) === formatPath(where))) group.where.push(where);
    byPlace.set(loc.place, group);
  }
  const out: Problem[] = [];
  for (const [place, g] of byPlace) {
    if (g.names.length < 2) continue;
    for (const where of g.where) {
      out.push(
        problemAt(
          source,
          where,
          `gives ${g.names.join(", ")} one state (${place}); each stack needs its own: deploying one would plan destroying the others' resources. Leave ${g.field} out to key the state per stack (${g.perStack}), or give each stack its own`,
        ),
      );
    }
  }
  return out;
}
