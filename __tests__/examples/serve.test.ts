import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = join(__dirname, "..", "..", "examples", "serve");

/** A systemd unit as sections of key → values. */
function unit(text: string): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const head = /^\[(\w+)\]$/.exec(line);
    if (head) {
      out.set(head[1], (section = new Map()));
      continue;
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!kv || !section) throw new Error(`not a unit line: ${line}`);
    section.set(kv[1], [...(section.get(kv[1]) ?? []), kv[2]]);
  }
  return out;
}

/** Dockerfile instructions, one per line, with their stage index. */
function dockerfile(text: string): { stage: number; op: string; args: string }[] {
  let stage = -1;
  return text
    .split("\n")
    .filter((l) => l.trim() && !l.trim().startsWith("#"))
    .map((l) => {
      const [op, ...rest] = l.trim().split(/\s+/);
      if (op === "FROM") stage++;
      return { stage, op, args: rest.join(" ") };
    });
}

describe("examples/serve", () => {
  test("the systemd unit runs serve unprivileged, hardened, with the key as a credential", () => {
    const u = unit(readFileSync(join(dir, "token-policy-serve.service"), "utf8"));
    const s = u.get("Service")!;
    expect(s.get("ExecStart")![0]).toMatch(/^\/usr\/bin\/node dist\/cli\/index\.js serve --host 127\.0\.0\.1 /);
    expect(s.get("DynamicUser")).toEqual(["yes"]);
    expect(s.get("User")).toBeUndefined();
    for (const [k, v] of [
      ["NoNewPrivileges", "yes"],
      ["ProtectSystem", "strict"],
      ["ProtectHome", "yes"],
      ["PrivateTmp", "yes"],
      ["CapabilityBoundingSet", ""],
      ["KillSignal", "SIGTERM"],
    ])
      expect([k, s.get(k)]).toEqual([k, [v]]);
    expect(s.get("LoadCredential")).toEqual(["app.pem:/etc/token-policy/app.pem"]);
    expect(s.get("Environment")).toContain("APP_PRIVATE_KEY_FILE=%d/app.pem");
    expect([...s.keys()].filter((k) => /KEY|SECRET/.test(k))).toEqual([]);
  });

  test("the Dockerfile takes its base image by digest only, and installs with no install script in any stage", () => {
    // GIVEN the Dockerfile's instructions
    const ins = dockerfile(readFileSync(join(dir, "Dockerfile"), "utf8"));
    // THEN every stage starts from NODE_IMAGE, an argument with no default (no tag to fall back to)
    const froms = ins.filter((i) => i.op === "FROM").map((i) => i.args.split(/\s+/)[0]);
    expect(froms.length).toBeGreaterThan(1);
    expect(new Set(froms)).toEqual(new Set(["${NODE_IMAGE}"]));
    expect(ins.filter((i) => i.op === "ARG" && i.stage === -1).map((i) => i.args)).toEqual(["NODE_IMAGE"]);
    // AND the first stage stops unless it names a digest, before anything is installed
    const first = ins.filter((i) => i.stage === 0);
    const check = first.findIndex((i) => i.op === "RUN" && i.args.includes('"$NODE_IMAGE"') && i.args.includes("@sha256:"));
    expect(check).toBeGreaterThan(-1);
    expect(check).toBeLessThan(first.findIndex((i) => i.op === "RUN" && i.args.startsWith("npm ci")));
    // AND every npm ci runs with scripts off, beside the project's .npmrc
    const installs = ins.filter((i) => i.op === "RUN" && /\bnpm (ci|install)\b/.test(i.args));
    expect(installs).toHaveLength(2);
    for (const i of installs) expect(i.args).toMatch(/ --ignore-scripts\b/);
    for (const stage of new Set(installs.map((i) => i.stage)))
      expect(ins.some((i) => i.stage === stage && i.op === "COPY" && i.args.split(/\s+/).includes(".npmrc"))).toBe(true);
  });

  describe("the Dockerfile's digest check, run as the build runs it (sh)", () => {
    const ins = dockerfile(readFileSync(join(dir, "Dockerfile"), "utf8"));
    const check = ins.find((i) => i.stage === 0 && i.op === "RUN" && i.args.includes('"$NODE_IMAGE"'))!;
    const run = (image: string) =>
      spawnSync("sh", ["-c", check.args], { env: { PATH: process.env.PATH, NODE_IMAGE: image }, encoding: "utf8" });
    const digest = "0123456789abcdef".repeat(4);

    test("passes an image named by digest", () => {
      expect(run(`node:22-bookworm-slim@sha256:${digest}`).status).toBe(0);
      expect(run(`docker.io/library/node@sha256:${digest}`).status).toBe(0);
    });

    test.each([
      ["a tag", "node:22-bookworm-slim"],
      ["nothing (no --build-arg)", ""],
      ["a short digest", `node:22-bookworm-slim@sha256:${digest.slice(1)}`],
      ["a digest with other characters", `node@sha256:${digest.slice(1)}/`],
      ["a digest in upper case", `node@sha256:${digest.toUpperCase()}`],
      ["a digest then a second line", `node@sha256:${digest}\nnode:latest`],
      ["another algorithm", `node@sha512:${digest}`],
    ])("fails when NODE_IMAGE is %s, naming the value and what is allowed", (_what, image) => {
      const r = run(image);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("NODE_IMAGE must name the base image by digest (name@sha256: and 64 hex digits), got '");
    });
  });

  test("the Dockerfile runs only production dependencies and the built CLI, as a non-root user", () => {
    const ins = dockerfile(readFileSync(join(dir, "Dockerfile"), "utf8"));
    const last = Math.max(...ins.map((i) => i.stage));
    const final = ins.filter((i) => i.stage === last);
    expect(final.filter((i) => i.op === "USER").map((i) => i.args)).toEqual(["node"]);
    expect(final.some((i) => i.op === "RUN")).toBe(false);
    const deps = ins.filter((i) => i.stage === 1);
    expect(deps.find((i) => i.op === "RUN")!.args).toMatch(/^npm ci --omit=dev /);
    expect(final.filter((i) => i.op === "COPY").map((i) => i.args)).toEqual([
      "--from=deps /app/node_modules ./node_modules",
      "--from=build /src/dist ./dist",
      "package.json token-policy.yaml ./",
    ]);
    expect(JSON.parse(final.find((i) => i.op === "ENTRYPOINT")!.args)).toEqual([
      "node",
      "dist/cli/index.js",
      "serve",
      "--host",
      "0.0.0.0",
      "--port",
      "3000",
      "--apply",
    ]);
  });
});
