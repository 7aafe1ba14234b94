/** What `guide --json` prints: the organization, its guide's Markdown, and where it was also written. */

/** The guide as one JSON object: `org`, `markdown`, and `file` (the `--out` file, or null). */
export function guideJson(login: string, markdown: string, file: string | undefined): string {
  return `${JSON.stringify({ org: login, markdown, file: file ?? null }, null, 2)}\n`;
}
