/**
 * `token-policy guide`: the token guide for an organization's members, in Markdown, from the
 * config alone (no network): the policy, why the organization can be missing from the token form,
 * and for each approve rule how to ask for a token it approves.
 */
import { memberGuideMarkdown } from "../../lib/model/guide-text";
import { loadOrganization } from "../context";
import type { CommandIO } from "../io";
import { writeNoFollow } from "../files";

/** Options of {@link guide}. */
export interface GuideOptions {
  readonly org: string;
  readonly config?: string;
  /** Also write the guide to this file (never through a symbolic link). */
  readonly out?: string;
}

/** Prints the guide (and writes it to `--out`); returns it. */
export async function guide(options: GuideOptions, io: CommandIO): Promise<string> {
  const { org, enterprise } = loadOrganization(options, io.env);
  const text = memberGuideMarkdown(org, enterprise);
  io.stdout.write(text);
  if (options.out) writeNoFollow(options.out, text);
  return text;
}
