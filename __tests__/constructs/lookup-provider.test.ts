import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { MemberGuide } from "../../lib/constructs/member-guide";
import { OrgTokenPolicy } from "../../lib/constructs/org-token-policy";
import { orgEntry, parseOrg } from "../../test-support/config";
import { newStack, synthJson } from "../../test-support/stack";

/** The example's shape: credentials for two repositories and an environment, an installation list, a guide. */
function synthesized(): any {
  const org = parseOrg(
    orgEntry({
      app: { name: "acme-broker", homepageUrl: "https://github.com/acme-corp", installation: { id: 9, repositories: ["tools"] } },
      credentials: {
        actions: { repositories: ["tools", "changelog"] },
        environments: [{ repository: "deploy", environment: "production" }],
      },
      guide: { repository: ".github" },
    }),
  );
  const stack = newStack();
  OrgTokenPolicy.fromConfig(stack, "token-policy", org);
  return synthJson(stack).tf;
}

describe("lookupProviderFor: the stack's provider waits for every lookup and input check", () => {
  test("every lookup reads through the lookups provider, a copy of the stack's", () => {
    // GIVEN a stack with repository lookups and the owner check WHEN synthesized
    const tf = synthesized();
    // THEN there are two configurations of the github provider, the second aliased `lookups`, with the same owner
    expect(tf.provider.github).toHaveLength(2);
    expect(tf.provider.github[1]).toEqual({ alias: "lookups", owner: "acme-corp" });
    // AND every data source reads through it
    const dataSources = Object.values(tf.data).flatMap((byName: any) => Object.values(byName)) as any[];
    expect(dataSources.length).toBeGreaterThanOrEqual(5);
    for (const d of dataSources) expect(d.provider).toBe("github.lookups");
    // AND no resource does
    const resources = Object.values(tf.resource).flatMap((byName: any) => Object.values(byName)) as any[];
    for (const r of resources) expect(r.provider).toBeUndefined();
  });

  test("the stack's provider takes its owner from an expression that references every lookup and the input checks", () => {
    // GIVEN the same stack WHEN synthesized
    const tf = synthesized();
    const owner: string = tf.provider.github[0].owner;
    // THEN the owner evaluates to the login: the first element of a tuple of it and the references
    expect(owner).toMatch(/^\$\{\["acme-corp", .*\]\[0\]\}$/);
    // AND it references each data source and the input checks, so Terraform configures it (and plans
    // any resource of it, a resource that left the config included) only after they all passed
    for (const [type, byName] of Object.entries(tf.data) as [string, any][]) {
      for (const name of Object.keys(byName)) expect(owner).toContain(`data.${type}.${name}.id`);
    }
    expect(owner).toContain("terraform_data.input_checks.input");
  });

  test("a construct given another provider gates that one, through its own lookups copy", () => {
    // GIVEN a stack with a second github provider (GHES, aliased) and a guide written through it
    const stack = newStack();
    const other = new GithubProvider(stack, "ghes", { alias: "ghes", owner: "acme-corp", baseUrl: "https://ghe.example/api/v3/" });
    new MemberGuide(stack, "guide", { organization: parseOrg(), repository: "handbook", provider: other });
    const { tf } = synthJson(stack);
    // THEN its lookups read through a copy of it, with its host
    const copy = tf.provider.github.find((p: any) => p.alias === "ghes_lookups");
    expect(copy).toEqual({ alias: "ghes_lookups", owner: "acme-corp", base_url: "https://ghe.example/api/v3/" });
    for (const byName of Object.values(tf.data) as any[])
      for (const d of Object.values(byName) as any[]) expect(d.provider).toBe("github.ghes_lookups");
    // AND that provider waits for them, while the stack's default provider, which nothing here looks up through, keeps its login
    const ghes = tf.provider.github.find((p: any) => p.alias === "ghes");
    expect(ghes.owner).toMatch(/^\$\{\["acme-corp", .*data\.github_rest_api\..*handbook.*\.id.*\]\[0\]\}$/);
    expect(tf.provider.github.find((p: any) => p.alias === undefined).owner).toBe("acme-corp");
  });
});
