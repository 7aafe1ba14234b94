/**
 * Commands that build constructs (`report` runs the policy rule pack, `orgs` reads each stack's
 * inputs) need the peer dependencies cdktf, constructs and @cdktf/provider-github; the others run
 * without them (serve in a slim image among them). An install without the peers gets a message
 * saying what to install, not `Cannot find module` with a path.
 */
import { CommandFailure } from "../lib/github/errors";

/** The peer dependencies that construct-building commands load. */
export const CONSTRUCT_PEERS = ["cdktf", "constructs", "@cdktf/provider-github"] as const;

/**
 * Loads a command module with `load`; when a peer dependency is missing, fails (exit 1) naming
 * the command and the packages to install.
 */
export function loadWithPeers<T>(command: string, load: () => T): T {
  try {
    return load();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missing =
      err.code === "MODULE_NOT_FOUND"
        ? CONSTRUCT_PEERS.find((p) => new RegExp(`Cannot find module '${p}(/[^']*)?'`).test(err.message ?? ""))
        : undefined;
    if (!missing) throw e;
    throw new CommandFailure(
      `token-policy ${command} needs the peer dependency ${missing}, which is not installed: npm install ${CONSTRUCT_PEERS.join(" ")} (the other commands run without them)`,
    );
  }
}
