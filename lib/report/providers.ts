/**
 * What a change does to the provider builds a stack runs: the lock files that `token-policy lock`
 * writes, compared between base and head. Every change ranks with the backend's, at the top
 * ({@link LOCK_FILE_CHANGE_SCORE}): the lock file decides which provider build runs with the plan
 * job's and the deploy's credentials, and `plan-guard` refuses to plan it before merge. Pure.
 */
import { parseLockFile } from "../model/lock-file";
import type { Change } from "./change";

/** The score of every lock file change: under a GitHub instance change (110) and a backend change (108), above private hosts (105). */
export const LOCK_FILE_CHANGE_SCORE = 107;

/**
 * The changes between one organization's lock file at the base and at the head (either absent
 * when the organization had none). A new version, or new checksums for the same version (other
 * builds now trusted), is for a reviewer to check; a lock file removed leaves the deploy to take
 * whatever build is newest that day.
 */
export function diffLockFile(org: string, file: string, base: string | undefined, head: string | undefined): Change[] {
  if (base === undefined && head === undefined) return [];
  if (head === undefined)
    return [
      {
        org,
        score: LOCK_FILE_CHANGE_SCORE,
        text: `Provider lock file ${file} removed: nothing pins the provider build between plan and deploy (the example workflows refuse to plan or deploy without it).`,
      },
    ];
  const after = parseLockFile(head);
  if (base === undefined) {
    return [
      {
        org,
        score: LOCK_FILE_CHANGE_SCORE,
        text: `Provider lock file ${file} added: ${[...after].map(([source, p]) => `${source} ${p.version}`).join(", ") || "no provider"}.`,
      },
    ];
  }
  const before = parseLockFile(base);
  const out: Change[] = [];
  for (const [source, p] of after) {
    const was = before.get(source);
    if (!was) out.push({ org, score: LOCK_FILE_CHANGE_SCORE, text: `Provider ${source} ${p.version} now locked (${file}).` });
    else if (was.version !== p.version)
      out.push({
        org,
        score: LOCK_FILE_CHANGE_SCORE,
        text: `Provider ${source} version changed: ${was.version} → ${p.version} (${file}); the deploy runs the new build (the pull-request plan refuses it until merge).`,
      });
    else if (p.hashes.some((h) => !was.hashes.includes(h))) {
      out.push({
        org,
        score: LOCK_FILE_CHANGE_SCORE,
        text: `Provider ${source} ${p.version} trusts new checksums without a version change (${file}): other builds would now be accepted; check they come from the provider's registry or your mirror.`,
      });
    }
  }
  for (const [source, p] of before)
    if (!after.has(source))
      out.push({ org, score: LOCK_FILE_CHANGE_SCORE, text: `Provider ${source} ${p.version} no longer locked (${file}).` });
  return out;
}
