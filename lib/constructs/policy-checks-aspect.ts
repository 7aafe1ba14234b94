/**
 * The policy checks at synth: `PolicyChecksAspect` annotates each `OrgTokenPolicy` with its
 * organization's policy findings (errors fail synth; warnings and suppressed findings are
 * reported as warning and info annotations). The checks themselves are pure and live in
 * `lib/policy-checks/`; given the findings `main.ts` already computed, the aspect only annotates,
 * so the checks run once per organization.
 */
import type { IConstruct } from "constructs";
import { Annotations, type IAspect } from "cdktf";
import { OrgTokenPolicy } from "./org-token-policy";
import { checkOrganization, POLICY_CHECKS, type PolicyCheck, type PolicyFinding } from "../policy-checks/check-pack";

/** A finding with where it was found. */
export interface LocatedFinding extends PolicyFinding {
  /** The organization's login. */
  readonly organizationLogin: string;
  /** The construct path of its `OrgTokenPolicy`. */
  readonly constructPath: string;
}

/** What the aspect annotates with. */
export interface PolicyChecksAspectOptions {
  /**
   * The findings already computed, by organization login (as written in the config): an
   * organization found here is annotated with these, and not checked again.
   * @default - each organization is checked when it is visited
   */
  readonly findings?: ReadonlyMap<string, readonly PolicyFinding[]>;
  /**
   * The checks to run on an organization whose findings are not given.
   * @default POLICY_CHECKS
   */
  readonly checks?: readonly PolicyCheck[];
}

/**
 * The policy checks as a cdktf Aspect: add it to each stack (cdktf invokes aspects per stack)
 * and every `OrgTokenPolicy` below is annotated during synth with its organization's findings.
 * `findings` keeps them all, located, for callers that print them.
 */
export class PolicyChecksAspect implements IAspect {
  /** Every finding so far, in visiting order. */
  public readonly findings: LocatedFinding[] = [];
  private readonly given: ReadonlyMap<string, readonly PolicyFinding[]>;
  private readonly checks: readonly PolicyCheck[];

  constructor(options: PolicyChecksAspectOptions = {}) {
    this.given = options.findings ?? new Map();
    this.checks = options.checks ?? POLICY_CHECKS;
  }

  /** Annotates `node` when it is an `OrgTokenPolicy`. */
  visit(node: IConstruct): void {
    if (!(node instanceof OrgTokenPolicy)) return;
    const org = node.organizationConfig;
    for (const f of this.given.get(org.login) ?? checkOrganization(org, this.checks)) {
      this.findings.push({ ...f, organizationLogin: org.login, constructPath: node.node.path });
      const a = Annotations.of(node);
      if (f.level === "error") a.addError(f.message);
      else if (f.level === "warning") a.addWarning(f.message);
      else a.addInfo(`${f.message} Suppressed: ${f.suppressedBecause}`);
    }
  }
}
