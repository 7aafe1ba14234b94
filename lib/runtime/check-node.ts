/**
 * Imported first by the CLI and the cdktf app (an import for its effect): refuses a Node that
 * cannot run the project before any dependency is loaded. See `node-version.ts`.
 */
import { requireSupportedNode } from "./node-version";

requireSupportedNode();
