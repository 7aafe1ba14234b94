/**
 * The stacks of a config, built into a cdktf app: one `EnterpriseStack` with its
 * `EnterprisePatPolicy` per enterprise, one `OrganizationStack` with its `OrgTokenPolicy` per
 * organization, and the policy checks on each organization stack. `main.ts` builds them all in one
 * app, or splits them between its own thread and a worker (`./synthesize.ts`); either way each
 * stack is built by this code from the same config entry, so each is written the same.
 */
import { Aspects, type App } from "cdktf";
import type { EnterpriseConfig, OrganizationConfig } from "../config/schema";
import { enterpriseStackName } from "../naming";
import { EnterprisePatPolicy } from "../constructs/enterprise-pat-policy";
import { EnterpriseStack } from "../constructs/enterprise-stack";
import { OrganizationStack } from "../constructs/organization-stack";
import { OrgTokenPolicy } from "../constructs/org-token-policy";
import { PolicyChecksAspect } from "../constructs/policy-checks-aspect";
import type { PolicyFinding } from "../policy-checks/check-pack";

/** One organization to build: its entry, where it is in the file, its enterprise. */
export interface OrganizationPart {
  /** Its index in the file's `organizations`. */
  readonly index: number;
  /** The entry, validated with every default applied. */
  readonly config: OrganizationConfig;
  /** The enterprise the entry names, if any. */
  readonly enterprise?: EnterpriseConfig;
}

/** What one app builds: some enterprises and some organizations of a config. */
export interface StacksPart {
  readonly enterprises: readonly EnterpriseConfig[];
  readonly organizations: readonly OrganizationPart[];
}

/** A construct refused what the schema let through: the config's fault, said with the construct's message. */
export class ConstructRefusal extends Error {
  /** The construct's error, for `TOKEN_POLICY_DEBUG`. */
  public readonly detail: string;

  constructor(message: string, detail: string) {
    super(message);
    this.name = "ConstructRefusal";
    this.detail = detail;
  }
}

/**
 * Builds `part`'s stacks into `app` and returns their ids (enterprises first, then
 * organizations, in the file's order).
 *
 * @param app the app to build into
 * @param part what to build
 * @param findings the policy findings already computed, by login; organizations not in it are checked when the aspect visits them
 * @throws ConstructRefusal when a construct refuses an entry
 */
export function addStacks(app: App, part: StacksPart, findings?: ReadonlyMap<string, readonly PolicyFinding[]>): string[] {
  const checks = new PolicyChecksAspect({ findings });
  const ids: string[] = [];
  try {
    for (const enterprise of part.enterprises) {
      const stack = new EnterpriseStack(app, enterpriseStackName(enterprise.slug), {
        enterpriseSlug: enterprise.slug,
        githubUrl: enterprise.githubUrl,
        backend: enterprise.backend,
      });
      EnterprisePatPolicy.fromConfig(stack, "enterprise-pat-policy", enterprise);
      ids.push(stack.node.id);
    }
    for (const org of part.organizations) {
      const stack = new OrganizationStack(app, org.config.login, {
        organizationLogin: org.config.login,
        githubUrl: org.config.githubUrl,
        backend: org.config.backend,
      });
      OrgTokenPolicy.fromConfig(stack, "token-policy", org.config, {
        configPath: `organizations[${org.index}]`,
        enterprise: org.enterprise,
      });
      // cdktf invokes aspects from each stack down, so the pack goes on every stack.
      Aspects.of(stack).add(checks);
      ids.push(stack.node.id);
    }
  } catch (e) {
    throw new ConstructRefusal((e as Error).message, String((e as Error).stack));
  }
  return ids;
}
