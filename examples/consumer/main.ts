import { App, TerraformStack } from "cdktf";
import { Aspects } from "cdktf";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { AppCredentials, EnterprisePatPolicy, EnterpriseStack, OrganizationStack, OrgTokenPolicy, PatPolicy, PolicyChecksAspect } from "github-token-policy";

const app = new App();
const checks = new PolicyChecksAspect();

// The enterprise that owns them, in a stack of its own: what it decides, they cannot override.
const enterpriseStack = new EnterpriseStack(app, "enterprise-acme", { enterpriseSlug: "acme" });
const enterprise = new EnterprisePatPolicy(enterpriseStack, "enterprise-pat-policy", {
  enterpriseSlug: "acme",
  requireApproval: true,
  maxLifetimeDays: 90,
  classicTokens: "restrict",
});

// Three organizations, one stack each, composed in code: no YAML. Their lifetime limit is the
// enterprise's 90 days; declaring more, or no approval, would throw.
for (const login of ["acme-corp", "acme-labs", "acme-ops"]) {
  const stack = new OrganizationStack(app, login, { organizationLogin: login });
  new OrgTokenPolicy(stack, "token-policy", {
    organizationLogin: login,
    enterprise: enterprise.enterpriseBounds,
    approval: {
      rules: [{ name: "read-only", action: "approve", match: { permissions: { repository: { contents: "read" } }, maxLifetimeDays: 30 } }],
    },
    app: { name: `${login}-broker`, homepageUrl: `https://github.com/${login}`, permissions: { organization_personal_access_token_requests: "write" } },
    credentials: { actions: { visibility: "private" } },
  });
  Aspects.of(stack).add(checks);
}

// The pieces alone, inside a stack of your own.
class PlatformStack extends TerraformStack {
  constructor() {
    super(app, "platform");
    new GithubProvider(this, "github", { owner: "acme-platform" });
    new PatPolicy(this, "pat-policy", { organizationLogin: "acme-platform", maxLifetimeDays: 30 });
    new AppCredentials(this, "credentials", { organizationLogin: "acme-platform", appId: 1234, clientId: "Iv23liExample0000000", actions: { visibility: "all" } });
  }
}
new PlatformStack();

app.synth();
