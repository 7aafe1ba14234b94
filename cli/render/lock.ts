/**
 * What `lock` prints: a table of each stack's lock file and the providers it pins, then where
 * the checksums came from and what to do with the files.
 */
import type { LockResult } from "../../lib/deploy/lock";
import { table } from "../io";

/** The locked stacks, and the line after them. */
export function lockedText(results: readonly LockResult[], platforms: readonly string[]): string {
  const rows = results.map((r) => [r.login, r.file, r.providers.map((p) => `${p.source} ${p.version}`).join(", ")]);
  const mirror = results[0]?.mirror ? ` from ${results[0].mirror.replace(/^-(fs|net)-mirror=/, "")} (TF_CLI_CONFIG_FILE)` : "";
  return (
    table(["ORGANIZATION", "LOCK FILE", "PROVIDERS"], rows, 200) +
    `Checksums for ${platforms.join(", ")}${mirror}. Commit ${results.length === 1 ? "it" : "them"}: synth copies each into its stack, and plan and deploy use exactly these builds.\n`
  );
}
