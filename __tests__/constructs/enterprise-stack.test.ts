import { Testing } from "cdktf";
import { EnterprisePatPolicy } from "../../lib/constructs/enterprise-pat-policy";
import { EnterpriseStack } from "../../lib/constructs/enterprise-stack";

function enterpriseStack(props: Partial<ConstructorParameters<typeof EnterpriseStack>[2]> = {}) {
  return new EnterpriseStack(Testing.app(), "enterprise-acme", { enterpriseSlug: "acme", ...props });
}
const synth = (stack: EnterpriseStack) => JSON.parse(Testing.synth(stack));

describe("EnterpriseStack", () => {
  test("keeps state per enterprise and asks for no provider", () => {
    // GIVEN an enterprise stack with a policy WHEN it is synthesized
    const stack = enterpriseStack({ backend: { type: "s3", bucket: "state", region: "eu-west-1", useLockfile: true, encrypt: true } });
    new EnterprisePatPolicy(stack, "enterprise-pat-policy", { enterpriseSlug: "acme" });
    const tf = synth(stack);
    // THEN its state key names the enterprise, and it needs no github provider (no token)
    expect(tf.terraform.backend.s3).toMatchObject({ key: "github-token-policy/enterprise-acme.tfstate", use_lockfile: true });
    expect(tf.provider).toBeUndefined();
    expect(tf.terraform.required_providers).toBeUndefined();
    expect(tf.terraform.required_version).toBe(">= 1.10.0");
  });

  test("a local backend keeps terraform.enterprise-SLUG.tfstate in the project directory", () => {
    const stack = enterpriseStack();
    new EnterprisePatPolicy(stack, "enterprise-pat-policy", { enterpriseSlug: "acme" });
    expect(synth(stack).terraform.backend.local.path).toMatch(/(^|\/)terraform\.enterprise-acme\.tfstate$/);
  });
});
