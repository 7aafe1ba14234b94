/**
 * The committed provider lock files: where each organization's is kept, the name Terraform gives
 * it in a stack folder, and what it says (providers, versions, checksums). Pure (no cdktf, no
 * file access), so synth, the report and the lock command share it; reading the files is theirs.
 */

/** The folder of the committed provider lock files, beside the config file. */
export const LOCK_DIR = "terraform-locks";

/** Where one organization's provider lock file is kept, relative to the config file's folder. */
export function lockFilePath(login: string): string {
  return `${LOCK_DIR}/${login.toLowerCase()}.terraform.lock.hcl`;
}

/** The name Terraform gives a stack folder's lock file. */
export const STACK_LOCK_FILE = ".terraform.lock.hcl";

/**
 * Each provider of a lock file: its address → the version locked and its checksums. Read as
 * Terraform reads it: comments are not blocks (a pull request's lock file could otherwise show
 * the report an old block in a comment while Terraform uses another), and a block ends where the
 * next one starts, so a block written on one line does not swallow the next.
 */
export function parseLockFile(text: string): Map<string, { version: string; hashes: string[] }> {
  const out = new Map<string, { version: string; hashes: string[] }>();
  const code = withoutComments(text);
  const heads = [...code.matchAll(/\bprovider\s+"([^"]+)"\s*\{/g)];
  heads.forEach((m, i) => {
    const body = code.slice(m.index + m[0].length, heads[i + 1]?.index ?? code.length);
    const version = /\bversion\s*=\s*"([^"]*)"/.exec(body)?.[1] ?? "";
    const hashes = [.../"((?:h1|zh):[^"]+)"/g[Symbol.matchAll](body)].map((h) => h[1]).sort();
    out.set(m[1], { version, hashes });
  });
  return out;
}

/** HCL text with its comments (`#` and `//` to the line's end, `/* … *\/`) blanked; strings, where a checksum may hold `//`, are kept. */
function withoutComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "#" || text.startsWith("//", i)) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      out += " ";
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
