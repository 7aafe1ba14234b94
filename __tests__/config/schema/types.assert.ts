/**
 * The config interfaces (lib/config/schema/types.ts) equal their schemas' types: checked by the
 * compiler (`tsc --noEmit`, the first step of `npm test`), never at run time. A field added,
 * removed, made optional or given another type on one side only makes `Equals` false here, and
 * the check fails with "Type 'false' does not satisfy the constraint 'true'" on that line.
 */
import type { z } from "zod";
import type { appSchema } from "../../../lib/config/schema/app";
import type { approvalSchema } from "../../../lib/config/schema/approval";
import type { backendSchema } from "../../../lib/config/schema/backend";
import type { credentialsSchema } from "../../../lib/config/schema/credentials";
import type { enterpriseSchema } from "../../../lib/config/schema/enterprise";
import type { guideSchema } from "../../../lib/config/schema/guide";
import type { configSchema } from "../../../lib/config/schema";
import type { memberPageSchema } from "../../../lib/config/schema/member-page";
import type { organizationSchema, suppressionSchema } from "../../../lib/config/schema/organization";
import type { enterprisePatPolicySchema, patPolicySchema } from "../../../lib/config/schema/pat-policy";
import type { massRevocationSchema, reviewSchema } from "../../../lib/config/schema/review";
import type { verifySchema } from "../../../lib/config/schema/verify";
import type * as T from "../../../lib/config/schema/types";

/** True when A and B are the same type (not merely assignable either way), else false. */
export type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
/** Compiles only when given `true`. */
export type Assert<T extends true> = T;

type Out<S extends z.ZodType> = z.output<S>;
type In<S extends z.ZodType> = z.input<S>;
type Rule = Out<typeof approvalSchema>["rules"][number];
type RuleIn = NonNullable<In<typeof approvalSchema>["rules"]>[number];

/** Each interface against its schema, outputs (`...Config`) and inputs (`...Input`). */
export type ConfigTypesEqualSchemas = [
  Assert<Equals<T.TokenPolicyConfig, Out<typeof configSchema>>>,
  Assert<Equals<T.OrganizationConfig, Out<typeof organizationSchema>>>,
  Assert<Equals<T.EnterpriseConfig, Out<typeof enterpriseSchema>>>,
  Assert<Equals<T.PatPolicyConfig, Out<typeof patPolicySchema>>>,
  Assert<Equals<T.PatPolicyInput, In<typeof patPolicySchema>>>,
  Assert<Equals<T.EnterprisePatPolicyConfig, Out<typeof enterprisePatPolicySchema>>>,
  Assert<Equals<T.ApprovalConfig, Out<typeof approvalSchema>>>,
  Assert<Equals<T.ApprovalInput, In<typeof approvalSchema>>>,
  Assert<Equals<T.ApprovalRule, Rule>>,
  Assert<Equals<T.ApprovalRuleInput, RuleIn>>,
  Assert<Equals<T.RuleMatch, Rule["match"]>>,
  Assert<Equals<T.RuleMatchInput, NonNullable<RuleIn["match"]>>>,
  Assert<Equals<T.RulePermissions, NonNullable<Rule["match"]["permissions"]>>>,
  Assert<Equals<T.RulePermissionsInput, NonNullable<NonNullable<RuleIn["match"]>["permissions"]>>>,
  Assert<Equals<T.AppConfig, Out<typeof appSchema>>>,
  Assert<Equals<T.AppInput, In<typeof appSchema>>>,
  Assert<Equals<T.InstallationConfig, Out<typeof appSchema>["installation"]>>,
  Assert<Equals<T.InstallationInput, NonNullable<In<typeof appSchema>["installation"]>>>,
  Assert<Equals<T.CredentialsConfig, Out<typeof credentialsSchema>>>,
  Assert<Equals<T.CredentialsInput, In<typeof credentialsSchema>>>,
  Assert<Equals<T.VisibilityConfig, Out<typeof credentialsSchema>["actions"]>>,
  Assert<Equals<T.VisibilityInput, In<typeof credentialsSchema>["actions"]>>,
  Assert<Equals<T.EnvironmentConfig, NonNullable<Out<typeof credentialsSchema>["environments"]>[number]>>,
  Assert<Equals<T.BackendConfig, Out<typeof backendSchema>>>,
  Assert<Equals<T.GuideConfig, Out<typeof guideSchema>>>,
  Assert<Equals<T.GuideInput, In<typeof guideSchema>>>,
  Assert<Equals<T.MemberPageConfig, Out<typeof memberPageSchema>>>,
  Assert<Equals<T.MemberPageInput, In<typeof memberPageSchema>>>,
  Assert<Equals<T.VerifyConfig, Out<typeof verifySchema>>>,
  Assert<Equals<T.VerifyInput, In<typeof verifySchema>>>,
  Assert<Equals<T.ReviewConfig, Out<typeof reviewSchema>>>,
  Assert<Equals<T.ReviewInput, In<typeof reviewSchema>>>,
  Assert<Equals<T.MassRevocationConfig, Out<typeof massRevocationSchema>>>,
  Assert<Equals<T.SuppressionInput, In<typeof suppressionSchema>>>,
  Assert<Equals<T.SuppressionInput, Out<typeof suppressionSchema>>>,
];

/**
 * `Equals` itself tells apart what assignability would let through: each line below must fail to
 * compile (`@ts-expect-error` fails the type check when it does not), so a helper that always said
 * true would be caught here.
 */
export type EqualsTellsApart = [
  // @ts-expect-error a field the other lacks
  Assert<Equals<{ a: string }, { a: string; b?: string }>>,
  // @ts-expect-error optional against required
  Assert<Equals<{ a?: string }, { a: string }>>,
  // @ts-expect-error required but possibly undefined against optional
  Assert<Equals<{ a: string | undefined }, { a?: string }>>,
  // @ts-expect-error a narrower type
  Assert<Equals<{ a: "x" | "y" }, { a: string }>>,
  // @ts-expect-error a difference one level down
  Assert<Equals<{ a: { b: number } }, { a: { b: number; c: number } }>>,
  // @ts-expect-error readonly against mutable
  Assert<Equals<{ readonly a: string }, { a: string }>>,
];
