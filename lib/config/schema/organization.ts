/**
 * One entry of `organizations` (with `defaults` merged under it): each section's schema, the
 * suppressions of policy checks, and the checks that span sections of one entry (a private host,
 * team rules the App cannot read, a classic-token lifetime that would be ignored). The App's
 * permissions get what `verify.evidence` needs.
 */
import { z } from "zod";
import { levelAtLeast } from "../../catalogue";
import { privateHostProblem } from "../../hosts";
import { appSchema } from "./app";
import { approvalSchema, DEFAULT_APPROVAL } from "./approval";
import { backendSchema, DEFAULT_BACKEND } from "./backend";
import { credentialsSchema } from "./credentials";
import { ENTERPRISE_SLUG_PATTERN } from "./enterprise";
import { guideSchema } from "./guide";
import { memberPageSchema } from "./member-page";
import { classicLifetimeUnused, DEFAULT_PAT_POLICY, patPolicySchema } from "./pat-policy";
import { DEFAULT_GITHUB_URL, githubUrl, isRecord, LOGIN_PATTERN, nonEmpty, obj } from "./primitives";
import { DEFAULT_REVIEW, reviewSchema } from "./review";
import { DEFAULT_VERIFY, verifySchema, withEvidencePermissions } from "./verify";

/**
 * One suppression of a policy check: its id and why.
 * @internal
 */
export const suppressionSchema = obj({
  id: nonEmpty("id"),
  reason: z.string({ error: "reason must be a string" }).min(10, { error: "must explain the suppression in at least 10 characters" }),
});

/** One organization's entry, after defaults are merged under it. */
export const organizationSchema = obj({
  login: z.string({ error: "login must be a string" }).regex(LOGIN_PATTERN, {
    error: "must be a GitHub organization login: letters, digits and single hyphens, at most 39 characters",
  }),
  githubUrl: githubUrl.default(DEFAULT_GITHUB_URL),
  patPolicy: patPolicySchema.default(DEFAULT_PAT_POLICY),
  approval: approvalSchema.default(DEFAULT_APPROVAL),
  app: appSchema,
  credentials: credentialsSchema,
  backend: backendSchema.default(DEFAULT_BACKEND),
  suppressions: z.array(suppressionSchema).default([]),
  /** Keep the member guide in a repository of the organization (`cdktf deploy` updates it). */
  guide: guideSchema.optional(),
  /** Show members their own `member` answer on a page served by `serve` (`{url}/member/{login}`); the guide links to it. */
  memberPage: memberPageSchema.optional(),
  /** What `verify` reads as evidence of the PAT policy; the App asks for the permissions it needs. */
  verify: verifySchema.default(DEFAULT_VERIFY),
  /** How review runs (`review`, serve's sweep) behave: the brake on mass revocation. */
  review: reviewSchema.default(DEFAULT_REVIEW),
  /** A GHES on an internal network: githubUrl may name a private or loopback address. */
  allowPrivateHost: z.boolean({ error: "must be true or false" }).default(false),
  /** The slug of the enterprise (in `enterprises`) that owns the organization: its PAT policy bounds the organization's. */
  enterprise: z
    .string({ error: "enterprise must be a string" })
    .regex(ENTERPRISE_SLUG_PATTERN, { error: "must be the slug of an enterprise listed in enterprises" })
    .optional(),
})
  .superRefine(
    (org, ctx) => {
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
    },
    { when: () => true },
  )
  .superRefine(
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
          message:
            "matches by team membership, which the App reads through the API: set app.permissions.members to read (the manifest then asks for it)",
        });
      });
    },
    { when: () => true },
  )
  .superRefine(
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
          message: classicLifetimeUnused(typeof p.classicTokens === "string" ? p.classicTokens : DEFAULT_PAT_POLICY.classicTokens),
        });
      }
    },
    { when: () => true },
    // An entry that failed validation is reported, not completed: the overwrite needs both parts.
  )
  .overwrite((org) =>
    org.app?.permissions && org.verify?.evidence
      ? { ...org, app: { ...org.app, permissions: withEvidencePermissions(org.app.permissions, org.verify.evidence) } }
      : org,
  );
