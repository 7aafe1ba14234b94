import { compliant, nonCompliant, notApplicable, type PolicyCheck } from "../policy-check";

/** A pattern with a wildcard: it matches logins nobody has chosen yet. */
const isGlob = (pattern: string) => /[*?]/.test(pattern);

/** No approve rule may trust a login pattern alone for who may have a token. */
export const approveOwnersGlobOnly: PolicyCheck = {
  id: "approve-owners-glob-only",
  level: "error",
  info: "An approve rule picks its requesters by a login pattern alone.",
  explanation:
    "A login is chosen by its owner, and any member can rename their account to fit a pattern such as release-bot-*: the rule then approves them. Match the requesters by team (match.teams, membership read from GitHub), or list exact logins.",
  evaluate(org) {
    const approves = org.approval.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.action === "approve");
    if (approves.length === 0) return notApplicable;
    const found = approves.filter(({ r }) => !r.match.teams && (r.match.owners ?? []).some(isGlob));
    return found.length
      ? nonCompliant(
          found
            .map(
              ({ r, i }) =>
                `approval.rules[${i}] (${r.name}) matches owners ${(r.match.owners ?? []).filter(isGlob).join(", ")} and no teams`,
            )
            .join("; "),
        )
      : compliant;
  },
};
