/**
 * The policy rule pack applied at synth: `PolicyChecks` is an Aspect that runs every rule of
 * `rule-pack.ts` (one rule per file in `rules/`) on each `OrgTokenPolicy` and reports findings
 * as annotations, with suppressions that need a reason and fail when they match nothing. These
 * are checks of the configuration itself, not the approval rules that decide token requests.
 */
import type { IConstruct } from "constructs";
import { Annotations, type IAspect } from "cdktf";
import { OrgTokenPolicy } from "../constructs/org-token-policy";
import { checkOrganization, POLICY_RULES, type Finding, type PolicyRule } from "./rule-pack";

/** A finding with where it was found. */
export interface LocatedFinding extends Finding {
  /** The organization's login. */
  readonly organizationLogin: string;
  /** The construct path of its `OrgTokenPolicy`. */
  readonly constructPath: string;
}

/**
 * The policy rule pack as a cdktf Aspect: add it to an app or stack and every `OrgTokenPolicy`
 * below is checked during synth. Errors become error annotations, which fail synth; warnings
 * and suppressed findings are reported as warning and info annotations. `findings` keeps them
 * all, for callers that print them.
 */
export class PolicyChecks implements IAspect {
  /** Every finding so far, in visiting order. */
  public readonly findings: LocatedFinding[] = [];

  constructor(private readonly rules: readonly PolicyRule[] = POLICY_RULES) {}

  visit(node: IConstruct): void {
    if (!(node instanceof OrgTokenPolicy)) return;
    const org = node.organizationConfig;
    for (const f of checkOrganization(org, this.rules)) {
      this.findings.push({ ...f, organizationLogin: org.login, constructPath: node.node.path });
      const a = Annotations.of(node);
      if (f.level === "error") a.addError(f.message);
      else if (f.level === "warning") a.addWarning(f.message);
      else a.addInfo(`${f.message} Suppressed: ${f.suppressedBecause}`);
    }
  }
}
