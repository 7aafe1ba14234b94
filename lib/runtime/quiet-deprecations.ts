/**
 * Node deprecation warnings that a dependency raises, that a user can do nothing about, and that
 * would otherwise reach every user's terminal (and fail a test that expects a clean stderr).
 *
 * Each is silenced by its code alone; every other warning, deprecation or not, is printed as
 * Node prints it. Add a code here only with the dependency and the reason.
 */

/** The silenced deprecation codes, each with where it comes from and why it cannot be fixed there. */
export const SILENCED_DEPRECATIONS: ReadonlyMap<string, string> = new Map([
  [
    "DEP0044",
    "cdktf 0.21.0 calls util.isArray (TerraformOutput.isITerraformAddressable) during synth; Node 22 and later warn at run time, and cdktf is archived, so no release will change it",
  ],
]);

let installed = false;

/** The code of a warning as `process.emitWarning` receives it, in any of its call forms. */
function warningCode(warning: unknown, typeOrOptions: unknown, code: unknown): unknown {
  if (typeof typeOrOptions === "object" && typeOrOptions !== null) return (typeOrOptions as { code?: unknown }).code;
  if (typeof code === "string") return code;
  if (warning instanceof Error) return (warning as Error & { code?: unknown }).code;
  return undefined;
}

/**
 * Drops the warnings of {@link SILENCED_DEPRECATIONS} from this process; idempotent. Installed by
 * the CLI and the cdktf app at start-up (`check-node.ts`), never by the library a consumer imports.
 */
export function silenceDependencyDeprecations(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, ...args: unknown[]) {
    const code = warningCode(args[0], args[1], args[2]);
    if (typeof code === "string" && SILENCED_DEPRECATIONS.has(code)) return;
    return (emitWarning as (...a: unknown[]) => void).apply(this, args);
  } as typeof process.emitWarning;
}
