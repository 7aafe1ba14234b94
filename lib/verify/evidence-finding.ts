/**
 * One evidence source's finding about one PAT policy setting, and what the sources share: the
 * settings, the statuses, how many entries a finding lists, and the words for a refused listing.
 */
import type { EvidenceSource } from "../config/schema";

/** The PAT policy settings, in the order the settings page shows them. */
export const PAT_POLICY_SETTINGS = [
  "fineGrainedTokens",
  "requireApproval",
  "maxLifetimeDays",
  "classicTokens",
  "classicMaxLifetimeDays",
] as const;
/** One setting of `patPolicy`. */
export type PatPolicySetting = (typeof PAT_POLICY_SETTINGS)[number];

/** What the evidence says about a setting. */
export type EvidenceStatus = "holds" | "contradicted" | "not checkable here";

/** One source's finding about one setting. */
export interface EvidenceFinding {
  readonly setting: PatPolicySetting;
  /** The source it comes from; `none` when no chosen source speaks to the setting. */
  readonly source: EvidenceSource | "none";
  readonly status: EvidenceStatus;
  /** The evidence, or why there is none; one paragraph, no secrets. */
  readonly text: string;
  /** Where an owner sees the evidence. */
  readonly links: readonly string[];
}

/** Most entries a finding lists; the count says how many there are. */
export const LISTED = 20;

/** A finding's words for a listing GitHub refused: the permission missing, or the plan. */
export function refusal(status: number | undefined, route: string, permission: string, on404: string): string | undefined {
  if (status === 403)
    return `GitHub answered 403 to ${route}: the App lacks ${permission} (add it to app.permissions, or let verify.evidence add it, and have an owner accept it on the installation page).`;
  if (status === 404) return `GitHub answered 404 to ${route}: ${on404}`;
  return undefined;
}

/** Whole days between two instants, rounded down. */
export function daysBetween(from: number, to: number): number {
  return Math.floor((to - from) / 86_400_000);
}

/** `1 token` or `2 tokens`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
