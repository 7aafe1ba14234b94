/**
 * What a correct value of each Terraform variable the stacks declare looks like, and where it
 * comes from: the preconditions {@link addInputPrecondition} adds, which Terraform tests at plan
 * time, before any call to GitHub. (The policy checks of lib/policy-checks are another thing: they
 * check the config at synth.)
 * Messages never contain the value.
 */

import type { Construct } from "constructs";
import { Lazy, TerraformLocal, TerraformStack } from "cdktf";
import { CLIENT_ID_PATTERN, NUMERIC_ID_PATTERN, PUBLIC_KEY_ID_PATTERN } from "../naming";
import { DeclaredValue } from "./declared-value";
import { requireTerraform } from "./terraform-requirements";
import { terraformLiteral } from "./terraform-literal";

/** One precondition on one variable: an HCL boolean over `var.<variable>`, and what to say when false. */
export interface InputPrecondition {
  /** The variable it tests. */
  readonly variable: string;
  /** HCL expression (without `${}`) that is true for a correct value. */
  readonly test: string;
  /** What a correct value is and where it comes from; never the value. */
  readonly errorMessage: string;
}

/**
 * Base64 lengths of a libsodium sealed box (48 bytes more than its message) of a PEM private key
 * of 1,000 to 5,000 bytes: GitHub's RSA 2048 keys are about 1,700, RSA 4096 about 3,250.
 */
export const SEALED_KEY_BASE64_LENGTH = { min: Math.ceil((1000 + 48) / 3) * 4, max: Math.ceil((5000 + 48) / 3) * 4 } as const;

/**
 * What a sealed-key variable holds: `KEY_ID:BASE64` as `token-policy seal` prints it, or
 * `BASE64` alone as it printed before it wrote the key id (an RE2 pattern, as HCL's `regex`).
 */
export const SEALED_KEY_VALUE_PATTERN = `^(${PUBLIC_KEY_ID_PATTERN}:)?[A-Za-z0-9+/]+={0,2}$`;

/** A variable holding a numeric id. */
export function numericIdPrecondition(variable: string, what: string, whereFrom: string): InputPrecondition {
  return {
    variable,
    test: `can(regex("${NUMERIC_ID_PATTERN}", var.${variable}))`,
    errorMessage: `TF_VAR_${variable} must be ${what} (digits only). ${whereFrom}`,
  };
}

/** A variable holding an App's client id. */
export function clientIdPrecondition(variable: string, whereFrom: string): InputPrecondition {
  return {
    variable,
    test: `can(regex("${CLIENT_ID_PATTERN}", var.${variable}))`,
    errorMessage: `TF_VAR_${variable} must be the App's client id (Iv1. and 16 hex digits, or Iv23 and 16 more characters), not its numeric id or a secret. ${whereFrom}`,
  };
}

/**
 * The two parts of a sealed-key variable's value, as HCL expressions (without `${}`) over
 * `var.<variable>`: `KEY_ID:BASE64` as `token-policy seal` prints it gives the key id and the
 * sealed value; `BASE64` alone (as seal printed before it wrote the key id) gives a null key id
 * and the whole value. Both hold for any string (HCL has no short-circuit and a local is
 * evaluated whether or not the input preconditions hold), so a bad value fails only its own.
 */
export function sealedKeyParts(variable: string): { readonly keyId: string; readonly valueEncrypted: string } {
  const parts = `split(":", var.${variable})`;
  return {
    keyId: `length(${parts}) > 1 ? ${parts}[0] : null`,
    valueEncrypted: `${parts}[length(${parts}) - 1]`,
  };
}

/** A variable holding the App's key sealed for one target by `token-policy seal`. */
export function sealedKeyPrecondition(variable: string, sealCommand: string): InputPrecondition {
  const { min, max } = SEALED_KEY_BASE64_LENGTH;
  const sealed = sealedKeyParts(variable).valueEncrypted;
  return {
    variable,
    // Every operand is evaluated (HCL does not short-circuit), so each holds for any string.
    test: `can(regex("${SEALED_KEY_VALUE_PATTERN}", var.${variable})) && length(${sealed}) % 4 == 0 && length(${sealed}) >= ${min} && length(${sealed}) <= ${max}`,
    errorMessage: `TF_VAR_${variable} must be the App's private key sealed by \`${sealCommand}\`: the public key's id, a colon and base64 of ${min} to ${max} characters (or the base64 alone), on one line. A PEM key (-----BEGIN …) or a truncated or wrapped value is refused; run seal again and paste its whole TF_VAR_ line.`,
  };
}

/**
 * The key id and the sealed value of a sealed-key variable, as references to two locals at the
 * stack root, `<variable>_key_id` and `<variable>_value_encrypted` (see {@link sealedKeyParts}),
 * created on first use. A secret passes both: the provider (6.12.0–6.13.0) sends a configured
 * `key_id` as given, and only when it is null looks up the target's current key on create, or
 * reuses the id in state on update, which after GitHub rotates the key is not the one the
 * value was sealed with.
 */
export function sealedKeyInputs(scope: Construct, variable: string): { readonly keyId: string; readonly valueEncrypted: string } {
  const stack = TerraformStack.of(scope);
  const parts = sealedKeyParts(variable);
  const local = (part: "key_id" | "value_encrypted", expression: string) => {
    const id = `${variable}_${part}`;
    const existing = stack.node.tryFindChild(id) as TerraformLocal | undefined;
    return (existing ?? new TerraformLocal(stack, id, `\${${expression}}`)).asString;
  };
  return { keyId: local("key_id", parts.keyId), valueEncrypted: local("value_encrypted", parts.valueEncrypted) };
}

/** A variable holding the App's private key in clear (plaintext mode). */
export function pemKeyPrecondition(variable: string): InputPrecondition {
  return {
    variable,
    test: `can(regex("-----BEGIN (RSA )?PRIVATE KEY-----", var.${variable})) && can(regex("-----END (RSA )?PRIVATE KEY-----", var.${variable}))`,
    errorMessage: `TF_VAR_${variable} must be the App's whole private key in PEM form, from its BEGIN line to its END line, as GitHub downloads it or create-app writes it.`,
  };
}

interface StackPreconditions {
  readonly holder: DeclaredValue;
  readonly checks: Map<string, InputPrecondition & { readonly sensitive: boolean }>;
}

const preconditionsByStack = new WeakMap<TerraformStack, StackPreconditions>();

/** Construct id (and Terraform name, kept as it was) of the resource that carries every input precondition of a stack. */
export const INPUT_PRECONDITIONS_ID = "input_checks";

function preconditionsOf(scope: Construct): StackPreconditions {
  const stack = TerraformStack.of(scope);
  let state = preconditionsByStack.get(stack);
  if (!state) {
    const checks: StackPreconditions["checks"] = new Map();
    const holder = new DeclaredValue(stack, INPUT_PRECONDITIONS_ID, {
      checks: "the deploy inputs of this stack (see lifecycle.precondition)",
    });
    holder.overrideLogicalId(INPUT_PRECONDITIONS_ID);
    holder.addOverride(
      "lifecycle.precondition",
      Lazy.anyValue({
        produce: () =>
          [...checks.values()].map((c) => ({ condition: `\${local.${c.variable}_ok}`, error_message: terraformLiteral(c.errorMessage) })),
      }),
    );
    state = { holder, checks };
    preconditionsByStack.set(stack, state);
  }
  return state;
}

/**
 * The `terraform_data.input_checks` resource of the stack of `scope`, created on first use.
 * Every resource that sends a variable's value to the provider depends on it: Terraform then
 * plans none of them when a precondition fails, so the provider's own validation (which prints a bad
 * `value_encrypted` whole) never sees an unchecked value and no partial plan is printed.
 */
export function inputPreconditionsOf(scope: Construct): DeclaredValue {
  return preconditionsOf(scope).holder;
}

/**
 * Tests a variable's value at plan time: a `terraform_data.input_checks` resource at the stack
 * root carries one `precondition` per variable, each testing a local `<variable>_ok`.
 *
 * Not a `validation` block on the variable: Terraform (1.11 here) prints the variable's value in
 * a failed validation's message, sensitive or not, so a PEM pasted in place of a sealed key would
 * land in the CI log. A failed precondition on a local shows only `local.<variable>_ok is false`.
 */
export function addInputPrecondition(scope: Construct, precondition: InputPrecondition, sensitive: boolean): void {
  const state = preconditionsOf(scope);
  if (state.checks.has(precondition.variable)) return;
  state.checks.set(precondition.variable, { ...precondition, sensitive });
  const stack = TerraformStack.of(scope);
  // A test over a sensitive value is sensitive itself; the boolean reveals nothing of it. Whether
  // `can()` keeps the mark differs by expression, and before Terraform 1.7 `nonsensitive()` of an
  // unmarked value is an error.
  if (sensitive) requireTerraform(stack, "nonsensitive");
  new TerraformLocal(
    stack,
    `${precondition.variable}_ok`,
    sensitive ? `\${nonsensitive(${precondition.test})}` : `\${${precondition.test}}`,
  );
}
