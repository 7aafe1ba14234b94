import { Testing } from "cdktf";
import { OrganizationStack, type OrganizationStackProps } from "../lib/constructs/organization-stack";

/** A fresh app and an organization stack in it. */
export function newStack(props: Partial<OrganizationStackProps> = {}): OrganizationStack {
  const app = Testing.app();
  return new OrganizationStack(app, props.organizationLogin ?? "acme-corp", { organizationLogin: "acme-corp", ...props });
}

/** The synthesized stack as an object. */
export function synthJson(stack: OrganizationStack): { synth: string; tf: any } {
  const synth = Testing.synth(stack);
  return { synth, tf: JSON.parse(synth) };
}
