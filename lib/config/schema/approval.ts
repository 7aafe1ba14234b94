/**
 * The `approval` section: the approval rules that decide fine-grained token requests (name,
 * action, reason, match), what happens when none holds, and revocation. A rule's name is never
 * a built-in outcome's (`otherwise`, `lifetime-limit`, …), so who decided is never ambiguous.
 */
import { z } from "zod";
import { canonicalTokenPermissions, TOKEN_PERMISSION_KINDS, type PermissionLevel, type TokenPermissionKind } from "../../catalogue";
import { BUILTIN_OUTCOMES, isBuiltinOutcomeName } from "../../approval/outcomes";
import { days, isRecord, nonEmpty, obj, oneOf } from "./primitives";

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
      ctx.addIssue({
        code: "custom",
        path: [kind, p.key],
        input: map[p.key],
        message: p.message,
        ...(p.about === "name" ? { params: { valueInMessage: true } } : {}),
      });
    }
    out[kind] = permissions as Record<string, PermissionLevel>;
  }
  return out;
});

const glob = z.string({ error: "must be a string pattern" }).min(1, { error: "pattern must not be empty" });

/** A team's slug, as in its URL; the team belongs to the organization the rule is for. */
const teamSlug = z.string({ error: "must be a team's slug" }).regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/, {
  error: "must be a team's slug as in its URL (letters, digits, '-' and '_'; no organization prefix)",
});

const ruleMatch = obj({
  owners: z.array(glob).min(1, { error: "must list at least one pattern" }).optional(),
  repositories: z.array(glob).min(1, { error: "must list at least one pattern" }).optional(),
  repositorySelection: z
    .array(oneOf(["none", "subset", "all"]))
    .min(1, { error: "must list at least one of none, subset, all" })
    .optional(),
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
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, { error: "must be letters, digits, spaces, '.', '_' or '-'" })
    // A rule named like a built-in outcome would read as that outcome in every decision.
    .superRefine((name, ctx) => {
      if (isBuiltinOutcomeName(name))
        ctx.addIssue({ code: "custom", input: name, params: { valueInMessage: true }, message: builtinOutcomeNameProblem(name) });
    }),
  action: oneOf(["approve", "deny"]),
  reason: reason.optional(),
  match: ruleMatch.default({}),
});

/** Why an approval rule may not be called `name`: it is spelt like a built-in outcome. */
export function builtinOutcomeNameProblem(name: string): string {
  return `${JSON.stringify(name)} is the name of a built-in outcome (${BUILTIN_OUTCOMES.join(", ")}); give the rule another name`;
}

/**
 * The `approval` section of an organization.
 * @internal
 */
export const approvalSchema = obj({
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
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "name"],
          input: name,
          message: `duplicate rule name (first used by rules[${first}])`,
        });
      } else seen.set(name, i);
    });
  },
  { when: () => true },
);

/** The approval section when an organization has none: no rules, leave every request to an owner. */
export const DEFAULT_APPROVAL = approvalSchema.parse({});
