/**
 * What `lock` prints: a table of each stack's lock file and the providers it pins, then where
 * the checksums came from and what to do with the files.
 */
import type { LockResult } from "../../lib/deploy/lock";
import { table } from "../io";

/** The mirror a run used, as shown: its path or URL without the flag, or undefined. */
function mirrorShown(results: readonly LockResult[]): string | undefined {
  return results[0]?.mirror?.replace(/^-(fs|net)-mirror=/, "");
}

/** The locked stacks, and the line after them. */
export function lockedText(results: readonly LockResult[], platforms: readonly string[]): string {
  const rows = results.map((r) => [r.login, r.file, r.providers.map((p) => `${p.source} ${p.version}`).join(", ")]);
  const shown = mirrorShown(results);
  const mirror = shown ? ` from ${shown} (TF_CLI_CONFIG_FILE)` : "";
  return (
    table(["ORGANIZATION", "LOCK FILE", "PROVIDERS"], rows, 200) +
    `Checksums for ${platforms.join(", ")}${mirror}. Commit ${results.length === 1 ? "it" : "them"}: synth copies each into its stack, and plan and deploy use exactly these builds.\n`
  );
}

/**
 * `lock --json`: one JSON object: the platforms checksummed, the mirror used (null: the
 * registry), and each organization's lock file (relative to the config's folder) with the
 * providers it pins.
 */
export function lockedJson(results: readonly LockResult[], platforms: readonly string[]): string {
  const document = {
    platforms,
    mirror: mirrorShown(results) ?? null,
    lockFiles: results.map((r) => ({ org: r.login, file: r.file, providers: r.providers })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
