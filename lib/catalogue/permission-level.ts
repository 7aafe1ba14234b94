/**
 * Permission levels and their order (read < write < admin), shared by the App catalogue
 * (`index.ts`) and the fine-grained token catalogue (`token-permissions.ts`): both import it,
 * neither imports the other's file for it. Pure.
 */

/** A permission level, lowest first: read < write < admin. */
export type PermissionLevel = "read" | "write" | "admin";

/** The levels in the order GitHub ranks them. */
export const PERMISSION_LEVELS: readonly PermissionLevel[] = ["read", "write", "admin"];

/** Rank of a level (read 1, write 2, admin 3); 0 for anything else, such as `none`. */
export function levelRank(level: string | undefined): number {
  return PERMISSION_LEVELS.indexOf(level as PermissionLevel) + 1;
}

/** True when `granted` is at least `required` (read < write < admin). */
export function levelAtLeast(granted: string | undefined, required: string): boolean {
  const g = levelRank(granted);
  return g > 0 && g >= levelRank(required);
}
