import { ActionsOrganizationVariable } from "@cdktf/provider-github/lib/actions-organization-variable";
import { AppInstallationRepositories } from "@cdktf/provider-github/lib/app-installation-repositories";
import { OrgTokenPolicy } from "../lib/org-token-policy";
import { orgEntry, parseOrg } from "./helpers/config";
import { newStack, synthJson } from "./helpers/stack";

describe("OrgTokenPolicy", () => {
  test("composes the policy record, the App and its credentials from one config entry", () => {
    const org = parseOrg(orgEntry({ app: { name: "acme-broker", homepageUrl: "https://github.com/acme-corp", id: 777, clientId: "Iv1.abc", installation: { id: 9, repositories: ["x"] } } }));
    const stack = newStack();
    const policy = new OrgTokenPolicy(stack, "token-policy", { organization: org });
    const { synth, tf } = synthJson(stack);
    expect(policy.patPolicy.patPolicyDocument.fine_grained_max_lifetime_days).toBe(366);
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, { variable_name: "TOKEN_BROKER_APP_ID", value: "777" });
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, { variable_name: "TOKEN_BROKER_CLIENT_ID", value: "Iv1.abc" });
    expect(synth).toHaveResourceWithProperties(AppInstallationRepositories, { installation_id: "9", selected_repositories: ["x"] });
    // Only the key is an input when the config records the ids.
    expect(Object.keys(tf.variable)).toEqual(["acme_corp_app_private_key_actions_sealed"]);
  });

  test("reads App and client ids from variables until the config records them", () => {
    const stack = newStack();
    new OrgTokenPolicy(stack, "token-policy", { organization: parseOrg() });
    const { synth, tf } = synthJson(stack);
    expect(tf.variable.acme_corp_app_id).toMatchObject({ type: "string" });
    expect(tf.variable.acme_corp_app_id.sensitive).toBeUndefined();
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, { variable_name: "TOKEN_BROKER_APP_ID", value: "${var.acme_corp_app_id}" });
    expect(synth).toHaveResourceWithProperties(ActionsOrganizationVariable, { variable_name: "TOKEN_BROKER_CLIENT_ID", value: "${var.acme_corp_app_client_id}" });
  });

  test("keeps construct ids, and so Terraform addresses, fixed", () => {
    const stack = newStack();
    new OrgTokenPolicy(stack, "token-policy", { organization: parseOrg() });
    const paths = stack.node.findAll().map((c) => c.node.path).filter((p) => p.split("/").length === 3);
    expect(paths.sort()).toEqual(["acme-corp/token-policy/app", "acme-corp/token-policy/credentials", "acme-corp/token-policy/pat-policy"]);
  });
});
