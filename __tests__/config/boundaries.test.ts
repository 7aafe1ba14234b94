/**
 * The config is outside input: the loader refuses what it does not understand, with one clear
 * message and no stack trace, before anything is built.
 */
import { writeFileSync } from "node:fs";

import { stringify } from "yaml";
import { deepMerge, loadConfig, MAX_CONFIG_BYTES, parseConfig } from "../../lib/config/load";
import { configProblems, orgEntry, writeTempConfig } from "../../test-support/config";
import { runEntry } from "../../test-support/run-entry";

const problems = (text: string) => configProblems(text);
const yaml = (organizations: unknown[], extra: Record<string, unknown> = {}) => stringify({ ...extra, organizations });

describe("githubUrl decides where tokens go", () => {
  test.each([
    ["http://github.example.com", /must use https:\/\//],
    ["https://github.com@evil.example", /must not contain user info/],
    ["https://user:pw@github.example.com", /must not contain user info/],
    ["https://github.example.com/?next=x", /must not have a query/],
    ["https://github.example.com/#x", /must not have a fragment/],
    ["https://github.example.com/api/v3", /without a path/],
    ["https://github.example.com\u0007", /white space or control characters/],
    ["https://github.\u202eexample.com", /white space or control characters/],
    ["https://169.254.169.254", /link-local address; for a GitHub Enterprise Server on an internal network set allowPrivateHost: true/],
    ["https://127.0.0.1:8443", /loopback address/],
    ["https://10.1.2.3", /private address/],
    ["https://localhost", /is localhost/],
    ["https://[::1]", /loopback/],
    ["https://[fd00::1]", /private \(unique local\) address/],
    ["https://[::ffff:169.254.169.254]", /IPv4-mapped address of 169\.254\.169\.254, which is a link-local address/],
    ["https://localhost.", /is localhost/],
    ["https://198.18.0.1", /benchmarking address/],
    [
      "https://g\u0456thub.com",
      /non-ASCII characters, which can look like another host; write its ASCII \(punycode\) spelling xn--gthub-n2e\.com/,
    ],
  ])("refuses %j", (githubUrl, message) => {
    const lines = problems(yaml([orgEntry({ githubUrl })]));
    expect(lines).toEqual([expect.stringMatching(new RegExp(`organizations\\[0\\]\\.githubUrl: .*${message.source}`))]);
  });

  test("accepts a public host, a GHE.com tenant, and a private one only with allowPrivateHost", () => {
    expect(parseConfig(yaml([orgEntry({ githubUrl: "https://github.example.com" })]), "p.yaml").problems).toEqual([]);
    expect(parseConfig(yaml([orgEntry({ githubUrl: "https://octo.ghe.com/" })]), "p.yaml").problems).toEqual([]);
    expect(parseConfig(yaml([orgEntry({ githubUrl: "https://10.1.2.3", allowPrivateHost: true })]), "p.yaml").problems).toEqual([]);
  });
});

describe("keys that reach the prototype", () => {
  test.each(["__proto__", "constructor", "prototype"])("%s is refused wherever it appears, with defaults or without", (key) => {
    const text = `defaults:\n  patPolicy: { maxLifetimeDays: 30 }\norganizations:\n  - login: acme-corp\n    ${key}:\n      patPolicy: { classicTokens: allow }\n    app: { name: a, homepageUrl: "https://github.com/a", permissions: { ${key}: read } }\n    credentials: { actions: { visibility: all } }\n`;
    const lines = problems(text);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^policy\\.yaml:5:5 organizations\\[0\\]\\.${key}: key "${key}" is not allowed anywhere`)),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`organizations\\[0\\]\\.app\\.permissions\\.${key}: key "${key}" is not allowed`)),
    );
  });

  test("deepMerge copies own keys only and never sets a prototype", () => {
    const over = JSON.parse('{"__proto__": {"polluted": true}, "a": {"b": 1}}');
    const merged = deepMerge({ a: { c: 2 } }, over);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect((merged as { polluted?: boolean }).polluted).toBeUndefined();
    expect(merged).toEqual({ a: { c: 2, b: 1 } });
  });
});

describe("YAML limits", () => {
  test("an alias bomb ends in one clear error", () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(",")}]`,
      ),
      "organizations: []",
    ].join("\n");
    expect(problems(bomb)).toEqual([
      expect.stringMatching(/^policy\.yaml:1:1: expands YAML aliases too much .* at most 100 alias expansions are read$/),
    ]);
  });

  test("unresolved tags are errors, not strings", () => {
    expect(problems(yaml([orgEntry()]).replace("login: acme-corp", "login: !!js/function acme-corp"))).toEqual([
      expect.stringMatching(/^policy\.yaml:2:12: not valid YAML: Unresolved tag: tag:yaml\.org,2002:js\/function$/),
    ]);
  });

  test("nesting deeper than 32 levels is refused", () => {
    const deep = `organizations:\n  - login: acme-corp\n    app: ${"[".repeat(40)}${"]".repeat(40)}\n`;
    expect(problems(deep)).toEqual([expect.stringMatching(/is nested more than 32 levels deep/)]);
  });

  test("a file over 1 MiB is refused before it is parsed", () => {
    const { file } = writeTempConfig("");
    writeFileSync(file, `# ${"x".repeat(MAX_CONFIG_BYTES)}\norganizations: []\n`);
    expect(() => loadConfig(file)).toThrow(/is \d+ bytes; at most 1048576 are read/);
  });

  test("synth of an alias bomb and of a 4 MB file exits 2 with one message and no stack trace", () => {
    for (const text of [
      `a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\norganizations: []\n`,
      `# ${"y".repeat(4_000_000)}\n`,
    ]) {
      const { dir, file } = writeTempConfig(text);
      const r = runEntry("main.ts", [], { cwd: dir, env: { TOKEN_POLICY_CONFIG: file } });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("local state outside the project", () => {
  test.each(["/root/.ssh/authorized_keys", "../elsewhere.tfstate", "C:\\state\\x.tfstate", "state/../../x.tfstate"])(
    "%s needs allowOutsideProject: true",
    (path) => {
      const lines = problems(yaml([orgEntry({ backend: { type: "local", path } })]));
      expect(lines).toEqual([
        expect.stringMatching(/organizations\[0\]\.backend\.path: is outside the project directory.*allowOutsideProject: true/),
      ]);
      expect(parseConfig(yaml([orgEntry({ backend: { type: "local", path, allowOutsideProject: true } })]), "p.yaml").problems).toEqual([]);
    },
  );

  test("a path inside the project is fine", () => {
    expect(parseConfig(yaml([orgEntry({ backend: { type: "local", path: "state/acme.tfstate" } })]), "p.yaml").problems).toEqual([]);
  });
});

describe("text Terraform would evaluate", () => {
  test("fails when any string holds ${ or %{, naming each place, with every other problem", () => {
    const lines = problems(
      yaml([
        orgEntry({
          app: { name: 'x${file("/proc/self/environ")}', homepageUrl: "https://github.com/a", description: "%{ for k in x }" },
          patPolicy: { maxLifetimeDays: 400 },
        }),
      ]),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/organizations\[0\]\.app\.name: contains \$\{ or %\{, which Terraform would evaluate/),
        expect.stringMatching(/organizations\[0\]\.app\.description: contains \$\{ or %\{/),
        expect.stringMatching(/organizations\[0\]\.patPolicy\.maxLifetimeDays: /),
      ]),
    );
  });

  test("a lone $ or % is fine", () => {
    expect(
      parseConfig(
        yaml([orgEntry({ app: { name: "a", homepageUrl: "https://github.com/a", description: "costs $5, 100% {ok}" } })]),
        "p.yaml",
      ).problems,
    ).toEqual([]);
  });
});

describe("where the member guide may be written", () => {
  test.each([
    [".github/workflows/tokens.yml", "is a workflow file: GitHub would run what the guide's text says"],
    [".GitHub/Workflows/x.yaml", "is a workflow file"],
    ["CODEOWNERS", "is a CODEOWNERS file"],
    [".github/CODEOWNERS", "is a CODEOWNERS file"],
    ["docs/CODEOWNERS", "is a CODEOWNERS file"],
    [".github/dependabot.yml", "is under .github/, which GitHub reads as configuration (set guide.allowGitHubPaths: true to mean it)"],
  ])("fails when guide.path is %s", (path, message) => {
    const lines = problems(yaml([orgEntry({ guide: { repository: "payments-service", path } })]));
    expect(lines).toEqual([expect.stringContaining(`organizations[0].guide.path: ${message}`)]);
  });

  test("allowGitHubPaths lets a file under .github/ through, never a workflow or CODEOWNERS", () => {
    expect(
      parseConfig(yaml([orgEntry({ guide: { repository: "r", path: ".github/TOKENS.md", allowGitHubPaths: true } })]), "p.yaml").problems,
    ).toEqual([]);
    expect(problems(yaml([orgEntry({ guide: { repository: "r", path: ".github/workflows/x.yml", allowGitHubPaths: true } })]))).toEqual([
      expect.stringContaining("is a workflow file"),
    ]);
    expect(problems(yaml([orgEntry({ guide: { repository: "r", path: ".github/CODEOWNERS", allowGitHubPaths: true } })]))).toEqual([
      expect.stringContaining("is a CODEOWNERS file"),
    ]);
    // An empty segment does not make a workflow path another file.
    for (const path of [".github//workflows/x.yml", ".github/workflows//x.yml", "docs//CODEOWNERS", "profile/"]) {
      expect([path, problems(yaml([orgEntry({ guide: { repository: "r", path, allowGitHubPaths: true } })]))]).toEqual([
        path,
        [expect.stringContaining("guide.path: must be a relative path inside the repository, without empty, . or .. segments")],
      ]);
    }
  });

  test("the default and ordinary paths are fine", () => {
    expect(parseConfig(yaml([orgEntry({ guide: { repository: ".github" } })]), "p.yaml").problems).toEqual([]);
    expect(parseConfig(yaml([orgEntry({ guide: { repository: "handbook", path: "security/TOKENS.md" } })]), "p.yaml").problems).toEqual([]);
  });
});

describe("did you mean", () => {
  test("a permission or event one typo away names the one meant; a far one does not guess", () => {
    const lines = problems(
      yaml([
        orgEntry({
          app: {
            name: "a",
            homepageUrl: "https://github.com/a",
            permissions: { content: "read", zzzzzz: "read" },
            events: ["personal_access_token_requests"],
          },
        }),
      ]),
    );
    expect(lines).toContainEqual(expect.stringMatching(/app\.permissions\.content: unknown App permission \(did you mean "contents"\?\)/));
    expect(lines).toContainEqual(expect.stringMatching(/app\.permissions\.zzzzzz: unknown App permission; /));
    expect(lines).toContainEqual(
      expect.stringMatching(/app\.events\[0\]: unknown webhook event \(did you mean "personal_access_token_request"\?\)/),
    );
  });
});

describe("the config file as a file", () => {
  test("fails when --config names a device, without reading it", () => {
    // GIVEN /dev/zero, whose stat size is 0 and whose content never ends
    // WHEN it is loaded THEN it is refused as a device (reading it grew to gigabytes before)
    expect(() => loadConfig("/dev/zero")).toThrow(/\/dev\/zero: is a device, not a regular file/);
  });

  test("fails when --config names a .env file, showing its secrets only by their shape", () => {
    // GIVEN a .env file holding an AWS key pair (assembled here, so none is committed)
    const id = ["AKIA", "IOSFODNN7", "EXAMPLE"].join("");
    const secret = ["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "EXAMPLEKEY"].join("");
    const { file } = writeTempConfig(`AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\n`, ".env");
    // WHEN it is loaded as the config THEN the error shows neither value, only what they are
    let message = "";
    try {
      loadConfig(file);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/must be a mapping with an organizations list, got .*<AWS AKIA key id, 20 characters>/);
    expect(message).not.toContain(id);
    expect(message).not.toContain(secret.slice(0, 12));
  });
});
