/**
 * One entry of `enterprises`: an enterprise's slug, host and PAT policy, and where its stack
 * keeps state.
 */
import { z } from "zod";
import { backendSchema } from "./backend";
import { DEFAULT_ENTERPRISE_PAT_POLICY, enterprisePatPolicySchema } from "./pat-policy";
import { DEFAULT_GITHUB_URL, githubUrl, obj } from "./primitives";

/** GitHub enterprise slugs: lower-case letters, digits and single inner hyphens. */
export const ENTERPRISE_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,59}$/;

/** One enterprise's entry: its slug, host and PAT policy, and where its stack keeps state. */
export const enterpriseSchema = obj({
  slug: z.string({ error: "slug must be a string" }).regex(ENTERPRISE_SLUG_PATTERN, {
    error: "must be a GitHub enterprise slug: lower-case letters, digits and single hyphens, as in https://github.com/enterprises/SLUG",
  }),
  githubUrl: githubUrl.default(DEFAULT_GITHUB_URL),
  patPolicy: enterprisePatPolicySchema.default(DEFAULT_ENTERPRISE_PAT_POLICY),
  /** Where the enterprise's stack keeps state; the loader puts `defaults.backend` here when absent. */
  backend: backendSchema.optional(),
});
