/**
 * `token-policy guide`: the token guide for an organization's members, in Markdown, from the
 * config alone (no network): the policy, why the organization can be missing from the token form,
 * and for each approve rule how to ask for a token it approves.
 */
import { memberGuideMarkdown } from "../../lib/model/guide-text";
import { loadOrganization } from "../context";
import type { CommandIO } from "../io";
import { writeNoFollow } from "../files";
import { guideJson } from "../render/guide";

/** Options of {@link guide}. */
export interface GuideOptions {
  readonly org: string;
  readonly config?: string;
  /** Also write the guide to this file (never through a symbolic link). */
  readonly out?: string;
  /** Print one JSON object (the guide's Markdown in `markdown`). @default false */
  readonly json?: boolean;
}

/** Writes the guide to `--out` (when given) and prints it, or with `json` one JSON object; returns the Markdown. */
export async function guide(options: GuideOptions, io: CommandIO): Promise<string> {
  const { org, enterprise } = loadOrganization(options, io.env);
  const text = memberGuideMarkdown(org, enterprise);
  if (options.out) writeNoFollow(options.out, text);
  io.stdout.write(options.json ? guideJson(org.login, text, options.out) : text);
  return text;
}
