/**
 * The `verify` section: which evidence of the PAT policy `verify` reads, and the App permission
 * each evidence source needs (added to the App's permissions when an entry is parsed).
 */
import { obj, oneOf } from "./primitives";
import { z } from "zod";

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

/**
 * The `verify` section of an organization.
 * @internal
 */
export const verifySchema = obj({
  evidence: z
    .array(oneOf(EVIDENCE_SOURCES))
    .superRefine((sources, ctx) => {
      sources.forEach((s, i) => {
        if (sources.indexOf(s) !== i)
          ctx.addIssue({
            code: "custom",
            path: [i],
            input: s,
            message: `duplicate evidence source (first listed at evidence[${sources.indexOf(s)}])`,
          });
      });
    })
    .default(["grants"]),
});

/** The verify section when an organization has none: evidence from granted tokens only. */
export const DEFAULT_VERIFY = verifySchema.parse({});

/**
 * The App's permissions with the read permissions `verify.evidence` needs added
 * ({@link EVIDENCE_PERMISSIONS}); a permission already held at read or above stays as it is.
 * Applied when an entry is parsed, so the manifest, `verify` and the report see the same set.
 */
export function withEvidencePermissions(
  permissions: Readonly<Record<string, string>>,
  evidence: readonly EvidenceSource[],
): Record<string, string> {
  const out = { ...permissions };
  for (const source of evidence) out[EVIDENCE_PERMISSIONS[source]] ??= "read";
  return out;
}
