import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

/** Writes a one-organization config for acme-corp with the given app and credentials overrides. */
export function writePolicyFile(org: Record<string, unknown> = {}): string {
  const file = join(mkdtempSync(join(tmpdir(), "policy-")), "token-policy.yaml");
  writeFileSync(
    file,
    stringify({
      organizations: [
        {
          login: "acme-corp",
          app: { name: "acme-token-broker", homepageUrl: "https://github.com/acme-corp" },
          credentials: { actions: { visibility: "all" } },
          ...org,
        },
      ],
    }),
  );
  return file;
}
