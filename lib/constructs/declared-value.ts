import type { Construct } from "constructs";
import { TerraformResource } from "cdktf";
import { requireTerraform } from "./terraform-requirements";
import { terraformLiterals } from "./terraform-literal";

/**
 * A `terraform_data` resource (Terraform ≥ 1.4) whose `input` holds a declared value, so
 * that a change of it shows as an update in `cdktf diff` and in state history.
 *
 * cdktf's own `DataResource` attaches a validation that runs `terraform version` once per
 * instance during synth: about 120 ms each, and a failed synth on machines without a
 * terraform binary. Synth here needs no binary, so this class writes the same resource
 * without that check. The input is written literal ({@link terraformLiterals}): a string in it
 * never becomes an expression.
 */
export class DeclaredValue extends TerraformResource {
  /** The declared value, the resource's `input`. */
  public readonly declaredInput: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, input: Readonly<Record<string, unknown>>) {
    super(scope, id, { terraformResourceType: "terraform_data", terraformGeneratorMetadata: { providerName: "terraform" } });
    this.declaredInput = input;
    requireTerraform(this, "terraform_data");
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { input: terraformLiterals(this.declaredInput) };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return { input: { value: terraformLiterals(this.declaredInput), isBlock: false, type: "simple", storageClassType: "any" } };
  }
}
