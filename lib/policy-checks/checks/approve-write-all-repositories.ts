import { levelAtLeast } from "../../catalogue";
import { compliant, nonCompliant, notApplicable, type PolicyCheck } from "../policy-check";

/**
 * A repository pattern that matches every repository name: only wildcards, at least one `*`,
 * and at most one `?` (names have at least one character), such as `*` or `?*`.
 */
export function matchesEveryRepository(pattern: string): boolean {
  return /^[*?]+$/.test(pattern) && pattern.includes("*") && pattern.split("?").length - 1 <= 1;
}

/** No approve rule may grant write access to every repository. */
export const approveWriteAllRepositories: PolicyCheck = {
  id: "approve-write-all-repositories",
  level: "error",
  info: "An approve rule can grant write access to all repositories.",
  explanation:
    "A rule that approves tokens selecting all repositories, without capping repository permissions below write, lets any member who matches it write everywhere without an owner looking. Cap permissions or require selected repositories.",
  evaluate(org) {
    const approves = org.approval.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.action === "approve");
    if (approves.length === 0) return notApplicable;
    const wide = approves.filter(({ r }) => {
      const m = r.match;
      // All repositories: the selection all, or a subset whose patterns match every name.
      const allowsAll = m.repositories
        ? m.repositories.some(matchesEveryRepository)
        : !m.repositorySelection || m.repositorySelection.includes("all");
      // Without a permissions cap any permission may be asked for; with one, any repository
      // permission listed at write or above is grantable.
      const allowsWrite = !m.permissions || Object.values(m.permissions.repository ?? {}).some((l) => levelAtLeast(l, "write"));
      return allowsAll && allowsWrite;
    });
    return wide.length ? nonCompliant(wide.map(({ r, i }) => `approval.rules[${i}] (${r.name})`).join("; ")) : compliant;
  },
};
