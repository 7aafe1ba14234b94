/**
 * The schema of `token-policy.yaml`: the one source for validation, TypeScript types and the
 * published JSON Schema (`token-policy.schema.json`).
 */
import { posix } from "node:path";
import { z } from "zod";
import { APP_EVENTS, APP_PERMISSIONS, CATALOGUE_SOURCE, canonicalTokenPermissions, levelAtLeast, TOKEN_PERMISSION_KINDS, type PermissionLevel, type TokenPermissionKind } from "../catalogue";
import { CLIENT_ID_PATTERN, credentialNames, environmentVariablePart, secretNameProblem } from "../naming";
import { didYouMean } from "../text";
import { nonAsciiHostProblem, privateHostProblem } from "../hosts";

export { privateHostProblem } from "../hosts";

/**
 * Whether a value is a mapping. Checks that compare keys run even when a key has problems (zod's
 * `when`), and then see the value as written, which may be anything. Shared with the loader.
 * @internal
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A strict object: unknown keys are reported with the keys that are allowed there. */
function obj<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? `unknown key; allowed here: ${allowed}` : undefined),
  });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(", ")}` });
}

function days(what: string) {
  return z
    .number({ error: `${what} must be a whole number of days between 1 and 366` })
    .int({ error: `${what} must be a whole number of days between 1 and 366` })
    .min(1, { error: `${what} must be between 1 and 366` })
    .max(366, { error: `${what} must be between 1 and 366` });
}

const nonEmpty = (what: string) => z.string({ error: `${what} must be a string` }).min(1, { error: `${what} must not be empty` });

const httpsUrl = (what: string, schemes: "https" | "http(s)" = "http(s)") =>
  z
    .string({ error: `${what} must be a URL` })
    .refine((v) => (schemes === "https" ? /^https:\/\/[^\s/@]+(\/\S*)?$/ : /^https?:\/\/[^\s/@]+(\/\S*)?$/).test(v) && !/[\u0000-\u001f\u007f-\u009f]/.test(v), {
      error: `${what} must be an ${schemes} URL without user info or white space`,
    });

/**
 * The web root of a GitHub instance, where tokens and the App's key are sent: `https://` and a
 * host (and port) only; no user info, path, query, fragment, white space or control characters.
 * A private or loopback host needs `allowPrivateHost: true` (checked with the organization).
 */
const githubUrl = z
  .string({ error: "githubUrl must be a URL" })
  .superRefine((v, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: "custom", input: v, message });
    if (/[\u0000-\u0020\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(v)) return fail("must not contain white space or control characters");
    const nonAscii = nonAsciiHostProblem(v);
    if (nonAscii) return fail(nonAscii);
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      return fail("must be an https:// URL such as https://github.com or https://github.example.com");
    }
    if (u.protocol !== "https:") return fail("must use https:// (tokens and the App's key are sent there)");
    if (u.username || u.password || v.slice(8).split("/")[0].includes("@")) return fail("must not contain user info (user@host): the host is what follows the @");
    if (u.search || v.includes("?")) return fail("must not have a query");
    if (u.hash || v.includes("#")) return fail("must not have a fragment");
    if (u.pathname !== "/" ) return fail("must be the instance's root, without a path (the API root is derived from it)");
  });

/** GitHub login rules: letters, digits and single inner hyphens, at most 39 characters. */
export const LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** Repository names GitHub accepts. */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

const repoName = z
  .string({ error: "repository name must be a string" })
  .regex(REPOSITORY_PATTERN, { error: "must be a repository name (letters, digits, '.', '-', '_'; at most 100)" });

/** A prefix is valid when every name it makes passes GitHub's rules (the longest is the key's). */
const credentialPrefix = z
  .string({ error: "prefix must be a string" })
  .min(1, { error: "prefix must not be empty" })
  .superRefine((prefix, ctx) => {
    const problem = secretNameProblem(credentialNames(prefix).privateKey);
    if (problem) ctx.addIssue({ code: "custom", input: prefix, message: problem });
  });

/** App permissions, checked against GitHub's `app-permissions` catalogue. */
const appPermissions = z
  .record(z.string(), z.string({ error: "permission level must be a string" }))
  .superRefine((perms, ctx) => {
    for (const [name, level] of Object.entries(perms)) {
      const levels = APP_PERMISSIONS[name];
      if (!levels) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          input: name,
          message: `unknown App permission${didYouMean(name, Object.keys(APP_PERMISSIONS))}; GitHub's app-permissions schema (${CATALOGUE_SOURCE}) has no such name`,
        });
      } else if (!levels.includes(level as never)) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          input: level,
          message: `must be one of ${levels.join(", ")} for ${name}`,
        });
      }
    }
  });

const appEvents = z.array(z.string({ error: "event must be a string" })).superRefine((events, ctx) => {
  events.forEach((e, i) => {
    if (!APP_EVENTS.has(e)) {
      ctx.addIssue({ code: "custom", path: [i], input: e, message: `unknown webhook event${didYouMean(e, [...APP_EVENTS])} (see ${CATALOGUE_SOURCE})` });
    }
  });
});

const patPermissionMap = z.record(z.string(), z.string({ error: "permission level must be a string" }));

/**
 * Permissions by resource kind, as GitHub reports them on a fine-grained token request: each
 * name and level checked against GitHub's catalogue of fine-grained token permissions for that
 * kind, and every name turned into the catalogue's spelling (`organization_administration` under
 * organization becomes `administration`, as requests report it), as the approval logic reads them.
 */
const patPermissions = obj({
  organization: patPermissionMap.optional(),
  repository: patPermissionMap.optional(),
  other: patPermissionMap.optional(),
}).transform((perms, ctx) => {
  const out: Partial<Record<TokenPermissionKind, Record<string, PermissionLevel>>> = {};
  for (const kind of TOKEN_PERMISSION_KINDS) {
    const map = perms[kind];
    if (!map) continue;
    const { permissions, problems } = canonicalTokenPermissions(kind, map);
    for (const p of problems) {
      // A wrong name is named by the message itself; the level found is shown for a wrong level.
      ctx.addIssue({ code: "custom", path: [kind, p.key], input: map[p.key], message: p.message, ...(p.about === "name" ? { params: { valueInMessage: true } } : {}) });
    }
    out[kind] = permissions as Record<string, PermissionLevel>;
  }
  return out;
});

const glob = z.string({ error: "must be a string pattern" }).min(1, { error: "pattern must not be empty" });

/** A team's slug, as in its URL; the team belongs to the organization the rule is for. */
const teamSlug = z
  .string({ error: "must be a team's slug" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/, { error: "must be a team's slug as in its URL (letters, digits, '-' and '_'; no organization prefix)" });

const ruleMatch = obj({
  owners: z.array(glob).min(1, { error: "must list at least one pattern" }).optional(),
  repositories: z.array(glob).min(1, { error: "must list at least one pattern" }).optional(),
  repositorySelection: z.array(oneOf(["none", "subset", "all"])).min(1, { error: "must list at least one of none, subset, all" }).optional(),
  permissions: patPermissions.optional(),
  anyPermission: patPermissions.optional(),
  maxLifetimeDays: days("maxLifetimeDays").optional(),
  /** The requester is a member of one of these teams of the organization (read through the API). */
  teams: z.array(teamSlug).min(1, { error: "must list at least one team" }).optional(),
});

const reason = z
  .string({ error: "reason must be a string" })
  .max(1024, { error: "must be at most 1024 characters (GitHub's limit for a review reason)" });

const approvalRule = obj({
  // At most 100 characters, so the default reason that names the rule stays far within
  // GitHub's 1024 characters for a review reason.
  name: nonEmpty("name")
    .max(100, { error: "must be at most 100 characters" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, { error: "must be letters, digits, spaces, '.', '_' or '-'" }),
  action: oneOf(["approve", "deny"]),
  reason: reason.optional(),
  match: ruleMatch.default({}),
});

const approval = obj({
  rules: z.array(approvalRule).default([]),
  otherwise: oneOf(["leave", "deny"]).default("leave"),
  otherwiseReason: reason.optional(),
  revokeNonCompliant: z.boolean({ error: "must be true or false" }).default(false),
  /**
   * Revoke granted tokens not used for this many days (a token never used counts from its grant).
   * `review` (and `serve`'s sweep) revoke them, dry run unless `--apply`.
   */
  revokeUnusedAfterDays: days("revokeUnusedAfterDays").optional(),
}).superRefine(
  (a, ctx) => {
    // Runs even when a rule has other problems (`when`), so a duplicate name is reported in the
    // same run: the value may not have been fully checked yet.
    if (!isRecord(a)) return;
    const seen = new Map<string, number>();
    (Array.isArray(a.rules) ? a.rules : []).forEach((r: unknown, i) => {
      const name = typeof r === "object" && r !== null ? (r as { name?: unknown }).name : undefined;
      if (typeof name !== "string") return;
      const first = seen.get(name);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["rules", i, "name"], input: name, message: `duplicate rule name (first used by rules[${first}])` });
      } else seen.set(name, i);
    });
  },
  { when: () => true },
);

/** Why `classicMaxLifetimeDays` does nothing when classic tokens are `classicTokens` (not allow). */
export function classicLifetimeUnused(classicTokens: string): string {
  return `is only used when classicTokens is allow, and classicTokens is ${classicTokens} (the default is restrict): remove classicMaxLifetimeDays, or allow classic tokens`;
}

const patPolicy = obj({
  fineGrainedTokens: oneOf(["allow", "restrict"]).default("allow"),
  requireApproval: z.boolean({ error: "must be true or false" }).default(true),
  maxLifetimeDays: days("maxLifetimeDays").default(366),
  classicTokens: oneOf(["allow", "restrict"]).default("restrict"),
  classicMaxLifetimeDays: days("classicMaxLifetimeDays").optional(),
});

/** An organization's PAT policy as the schema reads it (the effective-policy module fills it). */
export const patPolicySchema = patPolicy;

const enterpriseAccess = oneOf(["allow", "restrict", "organizations-decide"]);

/**
 * An enterprise's PAT policy (Enterprise settings → Policies → Personal access tokens). Each
 * choice but `organizations-decide` binds every organization of the enterprise.
 */
export const enterprisePatPolicySchema = obj({
  fineGrainedTokens: enterpriseAccess.default("organizations-decide"),
  requireApproval: z
    .union([z.boolean(), z.literal("organizations-decide")], { error: "must be true, false or organizations-decide" })
    .default("organizations-decide"),
  maxLifetimeDays: days("maxLifetimeDays").optional(),
  classicTokens: enterpriseAccess.default("organizations-decide"),
  classicMaxLifetimeDays: days("classicMaxLifetimeDays").optional(),
  exemptAdministrators: z.boolean({ error: "must be true or false" }).default(false),
});

/** GitHub enterprise slugs: lower-case letters, digits and single inner hyphens. */
export const ENTERPRISE_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,59}$/;

/** Where `verify` looks for evidence of the PAT policy. */
export const EVIDENCE_SOURCES = ["grants", "auditLog", "credentialAuthorizations"] as const;
/** One evidence source of `verify.evidence`. */
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/**
 * The App permission (read) each evidence source needs, from GitHub's REST documentation:
 * `GET /orgs/{org}/personal-access-tokens` needs `organization_personal_access_tokens`;
 * `GET /orgs/{org}/audit-log` and `GET /orgs/{org}/credential-authorizations` (Enterprise Cloud)
 * need `organization_administration`.
 */
export const EVIDENCE_PERMISSIONS: Readonly<Record<EvidenceSource, string>> = {
  grants: "organization_personal_access_tokens",
  auditLog: "organization_administration",
  credentialAuthorizations: "organization_administration",
};

const verifyBlock = obj({
  evidence: z
    .array(oneOf(EVIDENCE_SOURCES))
    .superRefine((sources, ctx) => {
      sources.forEach((s, i) => {
        if (sources.indexOf(s) !== i) ctx.addIssue({ code: "custom", path: [i], input: s, message: `duplicate evidence source (first listed at evidence[${sources.indexOf(s)}])` });
      });
    })
    .default(["grants"]),
});

const installation = obj({
  id: z.number({ error: "must be the installation's numeric id" }).int().positive().optional(),
  repositories: z
    .union([z.literal("all"), z.array(repoName).min(1, { error: "must list at least one repository, or be all" })], {
      error: "must be all or a list of repository names",
    })
    .default("all"),
});

const app = obj({
  name: nonEmpty("name").max(34, { error: "must be at most 34 characters (GitHub's limit for App names)" }),
  homepageUrl: httpsUrl("homepageUrl"),
  description: z.string().max(1000).optional(),
  permissions: appPermissions.default({}),
  events: appEvents.default([]),
  // Deliveries carry the request details and are signed with the webhook secret: https only.
  webhookUrl: httpsUrl("webhookUrl", "https").optional(),
  id: z.number({ error: "must be the App's numeric id" }).int().positive().optional(),
  clientId: nonEmpty("clientId").regex(new RegExp(CLIENT_ID_PATTERN), { error: "must be the App's client id (starts with Iv)" }).optional(),
  slug: nonEmpty("slug").regex(/^[a-z0-9][a-z0-9-]*$/, { error: "must be the App's URL slug" }).optional(),
  installation: installation.default({ repositories: "all" }),
});

const visibilityBlock = obj({
  visibility: oneOf(["selected", "private", "all"]).default("selected"),
  repositories: z.array(repoName).optional(),
}).superRefine(
  (v, ctx) => {
    // Runs even when a key has problems (`when`); a visibility that is no known value says nothing.
    if (!isRecord(v)) return;
    const visibility = v.visibility ?? "selected";
    if (visibility === "selected" && !(Array.isArray(v.repositories) && v.repositories.length > 0)) {
      ctx.addIssue({ code: "custom", path: ["repositories"], input: v.repositories, message: "must list at least one repository when visibility is selected" });
    }
    if ((visibility === "private" || visibility === "all") && v.repositories !== undefined) {
      ctx.addIssue({ code: "custom", path: ["repositories"], input: v.repositories, message: `is only used with visibility selected, not ${visibility}` });
    }
  },
  { when: () => true },
);

const credentials = obj({
  prefix: credentialPrefix.default("TOKEN_BROKER"),
  privateKeyInput: oneOf(["sealed", "plaintext"]).default("sealed"),
  actions: visibilityBlock,
  dependabot: visibilityBlock.optional(),
  environments: z
    .array(obj({ repository: repoName, environment: nonEmpty("environment").max(255) }))
    .superRefine((envs, ctx) => {
      const seen = new Map<string, number>();
      // Names the stack derives from an entry: its sealed-key variable, and its construct id
      // (AppCredentials' `env_<repository>_<environment>`). Two entries sharing one would share
      // one sealed value, sealed for only one environment's public key.
      const derived = new Map<string, number>();
      envs.forEach((e, i) => {
        const key = `${e.repository}/${e.environment}`.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) return void ctx.addIssue({ code: "custom", path: [i], input: `${e.repository}/${e.environment}`, message: `duplicate environment (first listed at environments[${first}])` });
        seen.set(key, i);
        const names = [`variable …_app_private_key_env_${environmentVariablePart(e.repository, e.environment)}_sealed`, `construct env_${e.repository}_${e.environment}`];
        const clash = names.find((n) => derived.has(n));
        if (clash) {
          const j = derived.get(clash)!;
          ctx.addIssue({
            code: "custom",
            path: [i],
            input: `${e.repository}/${e.environment}`,
            params: { valueInMessage: true },
            message: `${e.repository}/${e.environment} and ${envs[j].repository}/${envs[j].environment} (environments[${j}]) would share the ${clash}, so one environment would get a key sealed for the other's public key: rename one environment, or keep one of them out of this config`,
          });
        }
        for (const n of names) if (!derived.has(n)) derived.set(n, i);
      });
    })
    .optional(),
});

const backend = z.discriminatedUnion(
  "type",
  [
    obj({
      type: z.literal("local"),
      path: nonEmpty("path").optional(),
      allowOutsideProject: z.boolean({ error: "must be true or false" }).optional(),
    }).superRefine((b, ctx) => {
      if (!b.path || b.allowOutsideProject) return;
      const normalized = posix.normalize(b.path.replace(/\\/g, "/"));
      if (posix.isAbsolute(normalized) || /^[A-Za-z]:/.test(normalized) || normalized === ".." || normalized.startsWith("../")) {
        ctx.addIssue({
          code: "custom",
          path: ["path"],
          input: b.path,
          message: "is outside the project directory; state files hold secrets' metadata and belong with the project (set allowOutsideProject: true to mean it)",
        });
      }
    }),
    obj({
      type: z.literal("s3"),
      bucket: nonEmpty("bucket"),
      key: nonEmpty("key").optional(),
      region: nonEmpty("region"),
      useLockfile: z.boolean().default(true),
      dynamodbTable: nonEmpty("dynamodbTable").optional(),
      encrypt: z.boolean().default(true),
      roleArn: nonEmpty("roleArn").optional(),
    }),
    obj({ type: z.literal("gcs"), bucket: nonEmpty("bucket"), prefix: nonEmpty("prefix").optional() }),
    obj({
      type: z.literal("cloud"),
      organization: nonEmpty("organization"),
      workspace: nonEmpty("workspace").optional(),
      project: nonEmpty("project").optional(),
      hostname: nonEmpty("hostname").optional(),
    }),
    obj({ type: z.literal("pg"), schemaName: nonEmpty("schemaName").optional() }),
  ],
  { error: "type must be one of local, s3, gcs, cloud, pg" },
);

/**
 * Why the member guide may not be written to `path`, or undefined. Every deploy writes the guide
 * with `overwrite_on_create`, so a path GitHub reads as configuration would hand whoever edits
 * the guide's text control of it: workflows and CODEOWNERS (in any of its three places) are never
 * allowed, anything else under `.github/` only with `allowGitHubPaths: true`. Case is ignored.
 */
export function guidePathProblem(path: string, allowGitHubPaths = false): string | undefined {
  const p = path.toLowerCase();
  // `.github//workflows/x.yml` or `.github/./workflows/x.yml` must not slip past the checks below.
  if (p.split("/").some((s) => s === "" || s === "." || s === "..")) return "must be a relative path inside the repository, without empty, . or .. segments";
  if (p.startsWith(".github/workflows/")) return "is a workflow file: GitHub would run what the guide's text says";
  if (p === "codeowners" || p === ".github/codeowners" || p === "docs/codeowners") return "is a CODEOWNERS file: the guide's text would decide who must approve changes";
  if (p.startsWith(".github/") && !allowGitHubPaths) return "is under .github/, which GitHub reads as configuration (set guide.allowGitHubPaths: true to mean it)";
  return undefined;
}

/** Where the member guide is kept, when it is. */
const guide = obj({
  repository: repoName,
  path: nonEmpty("path")
    .regex(/^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[^\u0000-\u001f]+$/, { error: "must be a relative path inside the repository, without . or .. segments" })
    .default("profile/TOKENS.md"),
  branch: nonEmpty("branch").optional(),
  /** Let `path` name a file under `.github/` other than workflows and CODEOWNERS. @default false */
  allowGitHubPaths: z.boolean({ error: "must be true or false" }).optional(),
}).superRefine((g, ctx) => {
  const problem = guidePathProblem(g.path, g.allowGitHubPaths);
  if (problem) ctx.addIssue({ code: "custom", path: ["path"], input: g.path, message: problem });
});

const suppression = obj({
  id: nonEmpty("id"),
  reason: z.string({ error: "reason must be a string" }).min(10, { error: "must explain the suppression in at least 10 characters" }),
});

/** One enterprise's entry: its slug, host and PAT policy, and where its stack keeps state. */
export const enterpriseSchema = obj({
  slug: z.string({ error: "slug must be a string" }).regex(ENTERPRISE_SLUG_PATTERN, {
    error: "must be a GitHub enterprise slug: lower-case letters, digits and single hyphens, as in https://github.com/enterprises/SLUG",
  }),
  githubUrl: githubUrl.default("https://github.com"),
  patPolicy: enterprisePatPolicySchema.default({ fineGrainedTokens: "organizations-decide", requireApproval: "organizations-decide", classicTokens: "organizations-decide", exemptAdministrators: false }),
  /** Where the enterprise's stack keeps state; the loader puts `defaults.backend` here when absent. */
  backend: backend.optional(),
});

/** One organization's entry, after defaults are merged under it. */
export const organizationSchema = obj({
  login: z.string({ error: "login must be a string" }).regex(LOGIN_PATTERN, {
    error: "must be a GitHub organization login: letters, digits and single hyphens, at most 39 characters",
  }),
  githubUrl: githubUrl.default("https://github.com"),
  patPolicy: patPolicy.default({ fineGrainedTokens: "allow", requireApproval: true, maxLifetimeDays: 366, classicTokens: "restrict" }),
  approval: approval.default({ rules: [], otherwise: "leave", revokeNonCompliant: false }),
  app,
  credentials,
  backend: backend.default({ type: "local" }),
  suppressions: z.array(suppression).default([]),
  /** Keep the member guide in a repository of the organization (`cdktf deploy` updates it). */
  guide: guide.optional(),
  /** What `verify` reads as evidence of the PAT policy; the App asks for the permissions it needs. */
  verify: verifyBlock.default({ evidence: ["grants"] }),
  /** A GHES on an internal network: githubUrl may name a private or loopback address. */
  allowPrivateHost: z.boolean({ error: "must be true or false" }).default(false),
  /** The slug of the enterprise (in `enterprises`) that owns the organization: its PAT policy bounds the organization's. */
  enterprise: z.string({ error: "enterprise must be a string" }).regex(ENTERPRISE_SLUG_PATTERN, { error: "must be the slug of an enterprise listed in enterprises" }).optional(),
}).superRefine((org, ctx) => {
  // Runs even when other keys have problems (`when`): the values may not be checked yet.
  if (!isRecord(org) || org.allowPrivateHost === true || typeof org.githubUrl !== "string") return;
  let host: string;
  try {
    host = new URL(org.githubUrl).hostname;
  } catch {
    return; // reported by githubUrl itself
  }
  const problem = privateHostProblem(host);
  if (problem) {
    ctx.addIssue({
      code: "custom",
      path: ["githubUrl"],
      input: org.githubUrl,
      message: `${problem}; for a GitHub Enterprise Server on an internal network set allowPrivateHost: true for this organization`,
    });
  }
}, { when: () => true }).superRefine(
  (org, ctx) => {
    // Team membership is read as the App: without members: read every teams key would be
    // unreadable, so no rule with one could ever hold. Runs even when the rules have other
    // problems (`when`), so it is reported in the same run.
    if (!isRecord(org) || !isRecord(org.app) || !isRecord(org.approval)) return;
    const perms = (org.app as { permissions?: unknown }).permissions;
    const members = typeof perms === "object" && perms !== null ? (perms as Record<string, unknown>).members : undefined;
    if (levelAtLeast(typeof members === "string" ? members : undefined, "read")) return;
    const rules = (org.approval as { rules?: unknown }).rules;
    (Array.isArray(rules) ? rules : []).forEach((r: unknown, i) => {
      const teams = typeof r === "object" && r !== null ? (r as { match?: { teams?: unknown } }).match?.teams : undefined;
      if (teams === undefined) return;
      ctx.addIssue({
        code: "custom",
        path: ["approval", "rules", i, "match", "teams"],
        input: teams,
        message: "matches by team membership, which the App reads through the API: set app.permissions.members to read (the manifest then asks for it)",
      });
    });
  },
  { when: () => true },
).superRefine(
  (org, ctx) => {
    // GitHub applies a classic-token lifetime only to classic tokens it lets in: with them
    // restricted the value would be dropped without a word. Under an enterprise the loader checks
    // this on the effective policy (the enterprise may allow classic tokens for the organization).
    // Runs even when other keys have problems (`when`), so it is reported in the same run.
    if (!isRecord(org) || org.enterprise !== undefined || !isRecord(org.patPolicy)) return;
    const p = org.patPolicy as Record<string, unknown>;
    if (typeof p.classicMaxLifetimeDays === "number" && p.classicTokens !== "allow") {
      ctx.addIssue({
        code: "custom",
        path: ["patPolicy", "classicMaxLifetimeDays"],
        input: p.classicMaxLifetimeDays,
        message: classicLifetimeUnused(typeof p.classicTokens === "string" ? p.classicTokens : "restrict"),
      });
    }
  },
  { when: () => true },
  // An entry that failed validation is reported, not completed: the overwrite needs both parts.
).overwrite((org) => (org.app?.permissions && org.verify?.evidence ? { ...org, app: { ...org.app, permissions: withEvidencePermissions(org.app.permissions, org.verify.evidence) } } : org));

/**
 * The App's permissions with the read permissions `verify.evidence` needs added
 * ({@link EVIDENCE_PERMISSIONS}); a permission already held at read or above stays as it is.
 * Applied when an entry is parsed, so the manifest, `verify` and the report see the same set.
 */
export function withEvidencePermissions(permissions: Readonly<Record<string, string>>, evidence: readonly EvidenceSource[]): Record<string, string> {
  const out = { ...permissions };
  for (const source of evidence) out[EVIDENCE_PERMISSIONS[source]] ??= "read";
  return out;
}

/**
 * The whole file. `defaults` is checked for key names by the loader and its values once merged
 * under each organization; duplicate logins are also checked by the loader, so that they are
 * reported together with every other problem.
 */
export const configSchema = obj({
  $schema: z.string().optional(),
  defaults: z.record(z.string(), z.unknown()).optional(),
  organizations: z.array(organizationSchema).min(1, { error: "must list at least one organization" }),
  /** Enterprises that own organizations listed here, each with its PAT policy. */
  enterprises: z.array(enterpriseSchema).default([]),
});

/** A validated organization entry with every default applied. */
export type OrganizationConfig = z.output<typeof organizationSchema>;
/** The validated file. */
export type TokenPolicyConfig = z.output<typeof configSchema>;
/** PAT policy of one organization. */
export type PatPolicyConfig = OrganizationConfig["patPolicy"];
/** Approval section of one organization. */
export type ApprovalConfig = OrganizationConfig["approval"];
/** One approval rule. */
export type ApprovalRule = ApprovalConfig["rules"][number];
/** Match block of a rule. */
export type RuleMatch = ApprovalRule["match"];
/** App section of one organization. */
export type AppConfig = OrganizationConfig["app"];
/** Credentials section of one organization. */
export type CredentialsConfig = OrganizationConfig["credentials"];
/** Secret visibility block. */
export type VisibilityConfig = CredentialsConfig["actions"];
/** Verify section of one organization. */
export type VerifyConfig = OrganizationConfig["verify"];
/** Backend section of one organization. */
export type BackendConfig = OrganizationConfig["backend"];
/** A validated enterprise entry with every default applied. */
export type EnterpriseConfig = z.output<typeof enterpriseSchema>;

/** The keys an organization entry (and so `defaults`) may have. */
export const ORGANIZATION_KEYS: readonly string[] = Object.keys(organizationSchema.shape);

/** What a caller writes for the PAT policy: every key optional, the schema's defaults apply. */
export type PatPolicyInput = z.input<typeof patPolicy>;
/** What a caller writes for the approval policy. */
export type ApprovalInput = z.input<typeof approval>;
/** What a caller writes for the App: `name` and `homepageUrl` are required. */
export type AppInput = z.input<typeof app>;
/** What a caller writes for the App's credentials: `actions` is required. */
export type CredentialsInput = z.input<typeof credentials>;
/** What a caller writes for the member guide. */
export type GuideInput = z.input<typeof guide>;
/** What a caller writes for `verify`: the evidence sources. */
export type VerifyInput = z.input<typeof verifyBlock>;
/** One suppression of a policy rule, with its reason. */
export type SuppressionInput = z.input<typeof suppression>;
