/**
 * Imported first by the CLI and the cdktf app (an import for its effect): refuses a Node that
 * cannot run the project before any dependency is loaded (see `node-version.ts`), and keeps the
 * deprecation warnings of dependencies that a user cannot act on off stderr (see
 * `quiet-deprecations.ts`).
 */
import { requireSupportedNode } from "./node-version";
import { silenceDependencyDeprecations } from "./quiet-deprecations";

requireSupportedNode();
silenceDependencyDeprecations();
