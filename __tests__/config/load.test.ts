import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { ConfigError } from "../../lib/config/errors";
import { configFileName, findOrganization, loadConfig, parseConfig, parseConfigOrThrow } from "../../lib/config/load";
import { configProblems, orgEntry, parseOrg, writeTempConfig } from "../../test-support/config";
import { variableNames, variableStem } from "../../lib/naming";

const problems = (text: string) => configProblems(text);

const yaml = (organizations: unknown[], extra: Record<string, unknown> = {}) => stringify({ ...extra, organizations });

describe("loadConfig", () => {
  test("loads the example config with defaults merged under each organization", () => {
    // GIVEN the committed example WHEN it is loaded
    const { config } = loadConfig(join(__dirname, "..", "..", "token-policy.yaml"));
    // THEN both organizations carry the defaults, and their own values win
    expect(config.organizations.map((o) => o.login)).toEqual(["acme-corp", "acme-labs"]);
    const [corp, labs] = config.organizations;
    expect(corp.patPolicy).toEqual({ fineGrainedTokens: "allow", requireApproval: true, maxLifetimeDays: 90, classicTokens: "restrict" });
    expect(labs.patPolicy.maxLifetimeDays).toBe(30);
    expect(labs.patPolicy.requireApproval).toBe(true);
    expect(labs.githubUrl).toBe("https://github.acme.example");
    expect(corp.githubUrl).toBe("https://github.com");
    expect(labs.approval.otherwise).toBe("deny");
    expect(corp.credentials.prefix).toBe("TOKEN_BROKER");
    expect(corp.backend).toEqual({ type: "local" });
  });

  test("applies documented defaults when sections are absent", () => {
    const org = parseOrg();
    expect(org.patPolicy).toEqual({ fineGrainedTokens: "allow", requireApproval: true, maxLifetimeDays: 366, classicTokens: "restrict" });
    expect(org.approval).toEqual({ rules: [], otherwise: "leave", revokeNonCompliant: false });
    expect(org.app.installation).toEqual({ repositories: "all" });
    expect(org.credentials.privateKeyInput).toBe("sealed");
  });

  test("lists take the organization's value whole, mappings merge", () => {
    const text = yaml([orgEntry({ credentials: { actions: { repositories: ["b"] } } })], {
      defaults: { credentials: { prefix: "BROKER", actions: { visibility: "selected", repositories: ["a", "c"] } } },
    });
    const org = parseConfigOrThrow(text, "x.yaml").organizations[0];
    expect(org.credentials.prefix).toBe("BROKER");
    expect(org.credentials.actions).toEqual({ visibility: "selected", repositories: ["b"] });
  });

  test("picks the file from the argument, then TOKEN_POLICY_CONFIG, then token-policy.yaml", () => {
    expect(configFileName("a.yaml", { TOKEN_POLICY_CONFIG: "b.yaml" })).toBe("a.yaml");
    expect(configFileName(undefined, { TOKEN_POLICY_CONFIG: "b.yaml" })).toBe("b.yaml");
    expect(configFileName(undefined, {})).toBe("token-policy.yaml");
  });

  test("fails when the file does not exist, naming it", () => {
    expect(() => loadConfig("/nonexistent/policy.yaml")).toThrow(
      "/nonexistent/policy.yaml: 1 problem\n  /nonexistent/policy.yaml: file not found",
    );
  });

  test("fails on broken YAML with the line", () => {
    const { file } = writeTempConfig("organizations:\n  - login: [acme\n");
    expect(() => loadConfig(file)).toThrow(/token-policy.yaml:\d+:\d+: not valid YAML/);
  });

  test("fails on duplicate keys in one mapping", () => {
    expect(problems("organizations:\n  - login: a\n    login: b\n")[0]).toMatch(
      /^policy.yaml:3:5: not valid YAML: Map keys must be unique/,
    );
  });

  test("fails on unknown keys, naming the keys allowed there", () => {
    const lines = problems(yaml([orgEntry({ patPolicy: { maxLifetime: 3 } })]));
    expect(lines).toEqual([
      expect.stringMatching(
        /^policy.yaml:\d+:\d+ organizations\[0\]\.patPolicy\.maxLifetime: unknown key; allowed here: fineGrainedTokens, requireApproval, maxLifetimeDays, classicTokens, classicMaxLifetimeDays$/,
      ),
    ]);
  });

  test("fails on a misspelt key, suggesting the key meant, at the key's line and column", () => {
    // GIVEN maxLifeTimeDays (a capital T) in an organization's patPolicy
    const text = yaml([orgEntry({ patPolicy: { maxLifeTimeDays: 30 } })]);
    const keyLine = text.split("\n").findIndex((l) => l.includes("maxLifeTimeDays")) + 1;
    const keyColumn = text.split("\n")[keyLine - 1].indexOf("maxLifeTimeDays") + 1;
    // WHEN / THEN the suggestion, and the place of the key, not of its value
    expect(problems(text)).toEqual([
      `policy.yaml:${keyLine}:${keyColumn} organizations[0].patPolicy.maxLifeTimeDays: unknown key (did you mean "maxLifetimeDays"?); allowed here: fineGrainedTokens, requireApproval, maxLifetimeDays, classicTokens, classicMaxLifetimeDays`,
    ]);
  });

  test("fails on a misspelt value of a list of choices, suggesting the choice meant", () => {
    const rules = [{ name: "r", action: "aprove", reason: "x", match: { owners: ["a"] } }];
    expect(problems(yaml([orgEntry({ approval: { rules } })]))).toEqual([
      expect.stringMatching(/approval\.rules\[0\]\.action: must be one of approve, deny, got "aprove" \(did you mean "approve"\?\)$/),
    ]);
  });

  test("fails on a misspelt key under defaults, suggesting the key meant", () => {
    expect(problems(yaml([orgEntry()], { defaults: { patPolcy: {} } }))).toEqual([
      expect.stringMatching(/defaults\.patPolcy: unknown key \(did you mean "patPolicy"\?\); allowed here: /),
    ]);
  });

  test("fails on lifetimes outside 1..366 with the value", () => {
    const lines = problems(yaml([orgEntry({ patPolicy: { maxLifetimeDays: 400, classicMaxLifetimeDays: 0 } })]));
    expect(lines).toContainEqual(
      expect.stringMatching(/organizations\[0\]\.patPolicy\.maxLifetimeDays: must be between 1 and 366, got 400$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/organizations\[0\]\.patPolicy\.classicMaxLifetimeDays: must be between 1 and 366, got 0$/),
    );
  });

  test("fails on a rule name too long for GitHub's 1024-character review reason to name it", () => {
    const rule = { name: "a".repeat(101), action: "approve", match: {} };
    const lines = problems(yaml([orgEntry({ approval: { rules: [rule] } })]));
    expect(lines).toContainEqual(
      expect.stringMatching(/organizations\[0\]\.approval\.rules\[0\]\.name: must be at most 100 characters, got 101 characters$/),
    );
  });

  test("fails on a bad value in defaults at the defaults line, once", () => {
    const text = yaml([orgEntry(), orgEntry({ login: "acme-labs" })], { defaults: { patPolicy: { maxLifetimeDays: 999 } } });
    expect(problems(text)).toEqual([
      expect.stringMatching(/^policy.yaml:3:22 defaults\.patPolicy\.maxLifetimeDays: must be between 1 and 366, got 999$/),
    ]);
  });

  test("fails on unknown keys in defaults, and on login there", () => {
    const lines = problems(yaml([orgEntry()], { defaults: { login: "x", colour: "red" } }));
    expect(lines).toEqual([
      expect.stringMatching(/defaults\.login: unknown key; allowed here: githubUrl, patPolicy/),
      expect.stringMatching(/defaults\.colour: unknown key; allowed here: githubUrl, patPolicy/),
    ]);
  });

  test("fails on App permission names GitHub does not have", () => {
    const lines = problems(yaml([orgEntry({ app: { ...(orgEntry().app as object), permissions: { teleport: "read" } } })]));
    expect(lines).toEqual([
      expect.stringMatching(/organizations\[0\]\.app\.permissions\.teleport: unknown App permission; GitHub's app-permissions schema/),
    ]);
  });

  test("fails on permission levels GitHub does not accept for that permission", () => {
    const lines = problems(
      yaml([orgEntry({ app: { ...(orgEntry().app as object), permissions: { contents: "admin", workflows: "read" } } })]),
    );
    expect(lines).toEqual([
      expect.stringMatching(/app\.permissions\.contents: must be one of read, write for contents, got "admin"$/),
      expect.stringMatching(/app\.permissions\.workflows: must be one of write for workflows, got "read"$/),
    ]);
  });

  test("fails on unknown webhook events", () => {
    const lines = problems(yaml([orgEntry({ app: { ...(orgEntry().app as object), events: ["push", "pushh"] } })]));
    expect(lines).toEqual([expect.stringMatching(/app\.events\[1\]: unknown webhook event .*got "pushh"$/)]);
  });

  test.each([
    ["GITHUB_TOKENS", /must not start with GITHUB_/],
    ["github_x", /must not start with GITHUB_/],
    ["9LIVES", /not start with a digit/],
    ["MY-APP", /only letters, digits and '_'/],
    ["A".repeat(90), /at most 100 characters/],
  ])("fails on the secret prefix %s", (prefix, message) => {
    const lines = problems(yaml([orgEntry({ credentials: { prefix, actions: { visibility: "all" } } })]));
    expect(lines).toEqual([expect.stringMatching(message)]);
    expect(lines[0]).toContain("organizations[0].credentials.prefix");
  });

  test("fails on duplicate logins, case-insensitively", () => {
    const lines = problems(yaml([orgEntry(), orgEntry({ login: "ACME-Corp" })]));
    expect(lines).toEqual([
      expect.stringMatching(
        /organizations\[1\]\.login: duplicate login \(first used by organizations\[0\]; logins are case-insensitive\), got "ACME-Corp"$/,
      ),
    ]);
  });

  test("a login that starts with github gets the org_ prefix: GitHub refuses secret and variable names that begin with GITHUB_", () => {
    expect(variableStem("github-tools")).toBe("org_github_tools");
    expect(variableNames("GitHubTools").appId).toBe("org_githubtools_app_id");
    expect(variableStem("acme-github")).toBe("acme_github");
    // AND github-tools and org-github-tools are refused together, like 1acme and org-1acme
    const lines = problems(yaml([orgEntry({ login: "github-tools" }), orgEntry({ login: "org-github-tools" })]));
    expect(lines).toEqual([
      expect.stringMatching(
        /organizations\[1\]\.login: org-github-tools and github-tools \(organizations\[0\]\) would share the variable names org_github_tools_…/,
      ),
    ]);
  });

  test("fails when two logins would share variable names, naming both", () => {
    // GIVEN 1acme (stem org_1acme, since Terraform names may not start with a digit) and org-1acme
    const lines = problems(yaml([orgEntry({ login: "1acme" }), orgEntry(), orgEntry({ login: "org-1acme" })]));
    // THEN one error at the second, naming both logins and the names they would share
    expect(lines).toEqual([
      expect.stringMatching(
        /organizations\[2\]\.login: org-1acme and 1acme \(organizations\[0\]\) would share the variable names org_1acme_… \(TF_VAR_org_1acme_app_id, ORG_1ACME_APP_ID, …\), so one would read the other's App and key: keep one of them in a separate config file$/,
      ),
    ]);
  });

  test("fails when defaults.backend names one state for every stack, naming the stacks", () => {
    // GIVEN a local state path in defaults, which every organization and enterprise takes
    const text = yaml([orgEntry({ enterprise: "acme" }), orgEntry({ login: "acme-labs" })], {
      defaults: { backend: { type: "local", path: "state/shared.tfstate" } },
      enterprises: [
        {
          slug: "acme",
          patPolicy: { fineGrainedTokens: "organizations-decide", requireApproval: true, maxLifetimeDays: 366, classicTokens: "restrict" },
        },
      ],
    });
    // THEN one error at defaults.backend.path naming every stack that would share it
    expect(problems(text)).toEqual([
      expect.stringMatching(
        /defaults\.backend\.path: gives enterprise-acme, acme-corp, acme-labs one state \(local state\/shared\.tfstate\); each stack needs its own: deploying one would plan destroying the others' resources\. Leave path out to key the state per stack \(terraform\.<login>\.tfstate\), or give each stack its own$/,
      ),
    ]);
  });

  test.each([
    ["s3 key", { type: "s3", bucket: "tfstate", region: "eu-west-1", key: "tp.tfstate" }, "key", /s3 bucket tfstate, key tp\.tfstate/],
    ["gcs prefix", { type: "gcs", bucket: "tfstate", prefix: "tp" }, "prefix", /gcs bucket tfstate, prefix tp/],
    [
      "cloud workspace",
      { type: "cloud", organization: "acme", workspace: "tp" },
      "workspace",
      /cloud app\.terraform\.io organization acme, workspace tp/,
    ],
    ["pg schema", { type: "pg", schemaName: "tp" }, "schemaName", /pg schema tp/],
  ])("fails when two organizations share one state through the %s", (_what, backend, field, where) => {
    // GIVEN the second organization's own backend names the first's state
    const text = yaml([orgEntry({ backend }), orgEntry({ login: "acme-labs", backend })]);
    const lines = problems(text);
    // THEN each place that names it is reported, with both stacks
    expect(lines).toEqual([
      expect.stringContaining(`organizations[0].backend.${field}: gives acme-corp, acme-labs one state`),
      expect.stringContaining(`organizations[1].backend.${field}: gives acme-corp, acme-labs one state`),
    ]);
    expect(lines[0]).toMatch(where);
  });

  test("stacks keyed per stack by default, or each given its own place, load", () => {
    expect(() =>
      parseConfigOrThrow(
        yaml([orgEntry(), orgEntry({ login: "acme-labs" })], {
          defaults: { backend: { type: "s3", bucket: "tfstate", region: "eu-west-1" } },
        }),
        "p.yaml",
      ),
    ).not.toThrow();
    expect(() =>
      parseConfigOrThrow(
        yaml([
          orgEntry({ backend: { type: "local", path: "a.tfstate" } }),
          orgEntry({ login: "acme-labs", backend: { type: "local", path: "b.tfstate" } }),
        ]),
        "p.yaml",
      ),
    ).not.toThrow();
  });

  test.each([
    ["release-tools", "release.tools", "prod", "prod"],
    ["a_b", "a", "c", "b_c"],
  ])("fails when two environments %s and %s would share one sealed-key variable or construct", (repoA, repoB, envA, envB) => {
    // GIVEN two environments whose names differ only in what the variable name or construct id flattens
    const lines = problems(
      yaml([
        orgEntry({
          credentials: {
            actions: { visibility: "all" },
            environments: [
              { repository: repoA, environment: envA },
              { repository: repoB, environment: envB },
            ],
          },
        }),
      ]),
    );
    // THEN the second is refused, naming the first: one of them would get a key sealed for the other's public key
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `organizations\\[0\\]\\.credentials\\.environments\\[1\\]: ${repoB}/${envB} and ${repoA}/${envA} \\(environments\\[0\\]\\) would share .*rename one environment`,
        ),
      ),
    ]);
  });

  test("a value quoted in an error shows its invisible characters escaped", () => {
    const lines = problems(yaml([orgEntry({ approval: { rules: [{ name: "read\u200d-only", action: "approve", match: {} }] } })]));
    expect(lines).toContainEqual(expect.stringMatching(/rules\[0\]\.name: .*got "read<U\+200D>-only"$/));
  });

  test("fails on selected visibility without repositories", () => {
    const lines = problems(yaml([orgEntry({ credentials: { actions: { visibility: "selected" }, dependabot: { repositories: [] } } })]));
    expect(lines).toEqual([
      expect.stringMatching(/credentials\.actions\.repositories: must list at least one repository when visibility is selected$/),
      expect.stringMatching(/credentials\.dependabot\.repositories: must list at least one repository when visibility is selected/),
    ]);
  });

  test("fails on unknown rule keys and actions", () => {
    const rules = [
      { name: "r", action: "allow", match: { owner: ["x"] } },
      { name: "s", action: "deny", when: {} },
    ];
    const lines = problems(yaml([orgEntry({ approval: { rules } })]));
    expect(lines).toEqual([
      expect.stringMatching(/approval\.rules\[0\]\.action: must be one of approve, deny, got "allow"$/),
      expect.stringMatching(
        /approval\.rules\[0\]\.match\.owner: unknown key \(did you mean "owners"\?\); allowed here: owners, repositories/,
      ),
      expect.stringMatching(/approval\.rules\[1\]\.when: unknown key; allowed here: name, action, reason, match$/),
    ]);
  });

  test("fails on a review reason over GitHub's 1024 characters, giving the length, not the text", () => {
    const lines = problems(yaml([orgEntry({ approval: { rules: [{ name: "r", action: "deny", reason: "x".repeat(1100) }] } })]));
    expect(lines).toEqual([expect.stringMatching(/approval\.rules\[0\]\.reason: must be at most 1024 characters .*got 1100 characters$/)]);
  });

  test("fails on an environment listed twice", () => {
    const env = { repository: "release-tools", environment: "production" };
    const lines = problems(
      yaml([orgEntry({ credentials: { actions: { visibility: "all" }, environments: [env, { ...env, environment: "Production" }] } })]),
    );
    expect(lines).toEqual([
      expect.stringMatching(
        /credentials\.environments\[1\]: duplicate environment \(first listed at environments\[0\]\), got \{"repository":"release-tools","environment":"Production"\}$/,
      ),
    ]);
  });

  test("fails on two environments whose sealed-key inputs would share a name", () => {
    // GIVEN release-tools/production and release_tools/production, and pre-prod and "pre prod" of one repository
    const environments = [
      { repository: "release-tools", environment: "production" },
      { repository: "release_tools", environment: "production" },
      { repository: "web", environment: "pre-prod" },
      { repository: "web", environment: "pre prod" },
    ];
    // WHEN the file is loaded
    const lines = problems(yaml([orgEntry({ credentials: { actions: { visibility: "all" }, environments } })]));
    // THEN both pairs are named, each with the input they would share
    expect(lines).toEqual([
      expect.stringMatching(
        /credentials\.environments\[1\]: release_tools\/production and release-tools\/production \(environments\[0\]\) would share the variable …_app_private_key_env_release_tools__production_sealed, so one environment would get a key sealed for the other's public key/,
      ),
      expect.stringMatching(
        /credentials\.environments\[3\]: web\/pre prod and web\/pre-prod \(environments\[2\]\) would share the variable …_app_private_key_env_web__pre_prod_sealed, so one environment would get a key sealed for the other's public key/,
      ),
    ]);
  });

  test("fails on duplicate rule names", () => {
    const rules = [
      { name: "r", action: "deny" },
      { name: "r", action: "approve" },
    ];
    expect(problems(yaml([orgEntry({ approval: { rules } })]))).toEqual([
      expect.stringMatching(/approval\.rules\[1\]\.name: duplicate rule name/),
    ]);
  });

  test("fails on an unknown backend type and on missing backend settings", () => {
    expect(problems(yaml([orgEntry({ backend: { type: "s4" } })]))).toEqual([
      expect.stringMatching(/backend\.type: must be one of local, s3, gcs, cloud, pg, got "s4"$/),
    ]);
    const lines = problems(yaml([orgEntry({ backend: { type: "s3", bucket: "b" } })]));
    expect(lines).toEqual([expect.stringMatching(/organizations\[0\]\.backend\.region: is required$/)]);
  });

  test("fails on a login GitHub would not accept", () => {
    expect(problems(yaml([orgEntry({ login: "-acme" })]))).toEqual([
      expect.stringMatching(/organizations\[0\]\.login: must be a GitHub organization login.*got "-acme"$/),
    ]);
  });

  test("reports every problem of the file together, in line order", () => {
    const text = readFileSync(join(__dirname, "..", "fixtures", "many-problems.yaml"), "utf8");
    const lines = problems(text);
    expect(lines.length).toBe(7);
    const numbers = lines.map((l) => Number(/^policy.yaml:(\d+):/.exec(l)![1]));
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
  });

  test("never echoes key material found in the file", () => {
    // Shaped like a key and a token, assembled here so no such text is committed.
    const pem = `${"-".repeat(5)}BEGIN RSA ${"PRIVATE"} KEY${"-".repeat(5)}\\nMIIEow`;
    const token = ["ghp", "_", "a".repeat(36)].join("");
    const text = `organizations:\n  - login: acme\n    app: { name: "${pem}", homepageUrl: "${token}" }\n    credentials: { actions: { visibility: all } }\n`;
    const lines = problems(text);
    expect(lines.join("\n")).not.toMatch(/BEGIN RSA|ghp_/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /app\.homepageUrl: must be an http\(s\) URL without user info or white space, got "<GitHub ghp token, 40 characters>"$/,
      ),
    );
  });

  test("findOrganization finds case-insensitively and names the known logins otherwise", () => {
    const loaded = loadConfig(join(__dirname, "..", "..", "token-policy.yaml"));
    expect(findOrganization(loaded, "ACME-LABS").login).toBe("acme-labs");
    expect(() => findOrganization(loaded, "nope")).toThrow('organizations: has no organization "nope"; it has acme-corp, acme-labs');
  });

  test("fails on a misspelt login, suggesting the organization meant", () => {
    const loaded = loadConfig(join(__dirname, "..", "..", "token-policy.yaml"));
    expect(() => findOrganization(loaded, "acme-crop")).toThrow(
      'organizations: has no organization "acme-crop" (did you mean "acme-corp"?); it has acme-corp, acme-labs',
    );
  });
});

describe("approval rules checked at load", () => {
  const rulesOrg = (rules: unknown[], extra: Record<string, unknown> = {}) => yaml([orgEntry({ approval: { rules }, ...extra })]);

  test("fails on a misspelt permission name in a deny rule, naming the place and the right name", () => {
    // GIVEN a deny rule that misspells the permission it is meant to stop
    const rules = [
      {
        name: "no admin",
        action: "deny",
        match: { anyPermission: { organization: { administation: "write" }, repository: { secretz: "read" } } },
      },
    ];
    // WHEN the file loads THEN both names are refused where they stand, with the names meant
    expect(problems(rulesOrg(rules))).toEqual([
      expect.stringMatching(
        /^policy\.yaml:\d+:\d+ organizations\[0\]\.approval\.rules\[0\]\.match\.anyPermission\.organization\.administation: unknown organization permission of fine-grained tokens \(did you mean "administration"\?\)/,
      ),
      expect.stringMatching(
        /organizations\[0\]\.approval\.rules\[0\]\.match\.anyPermission\.repository\.secretz: unknown repository permission of fine-grained tokens \(did you mean "secrets"\?\)/,
      ),
    ]);
  });

  test("fails on a permission under the wrong kind and on a level the permission does not have", () => {
    const rules = [
      { name: "cap", action: "approve", match: { permissions: { organization: { contents: "read" }, repository: { workflows: "read" } } } },
    ];
    const lines = problems(rulesOrg(rules));
    expect(lines).toEqual([
      expect.stringMatching(
        /match\.permissions\.organization\.contents: unknown organization permission .*\(contents is a repository permission\)/,
      ),
      expect.stringMatching(/match\.permissions\.repository\.workflows: workflows accepts write, got "read"$/),
    ]);
    // A wrong name is named, not followed by the level found.
    expect(lines[0]).not.toMatch(/got "read"$/);
  });

  test("turns each spelling of a permission into the catalogue's, so the evaluator compares one name", () => {
    const org = parseOrg(
      orgEntry({
        approval: {
          rules: [
            {
              name: "no admin",
              action: "deny",
              match: { anyPermission: { organization: { organization_administration: "write" }, other: { email_addresses: "read" } } },
            },
          ],
        },
      }),
    );
    expect(org.approval.rules[0].match.anyPermission).toEqual({ organization: { administration: "write" }, other: { emails: "read" } });
  });

  test("fails when one permission is listed under two spellings", () => {
    const rules = [
      {
        name: "cap",
        action: "approve",
        match: { permissions: { organization: { administration: "read", organization_administration: "write" } } },
      },
    ];
    expect(problems(rulesOrg(rules))).toEqual([
      expect.stringMatching(
        /permissions\.organization\.organization_administration: organization_administration and administration are one permission \(administration\); list it once/,
      ),
    ]);
  });

  test("fails on classicMaxLifetimeDays while classic tokens are restricted, by default or said", () => {
    expect(problems(yaml([orgEntry({ patPolicy: { classicMaxLifetimeDays: 30 } })]))).toEqual([
      expect.stringMatching(
        /patPolicy\.classicMaxLifetimeDays: is only used when classicTokens is allow, and classicTokens is restrict \(the default is restrict\)/,
      ),
    ]);
    expect(problems(yaml([orgEntry({ patPolicy: { classicTokens: "restrict", classicMaxLifetimeDays: 30 } })]))).toHaveLength(1);
    expect(parseOrg(orgEntry({ patPolicy: { classicTokens: "allow", classicMaxLifetimeDays: 30 } })).patPolicy.classicMaxLifetimeDays).toBe(
      30,
    );
  });

  test("fails on a teams key when the App cannot read members, and on a slug with an organization prefix", () => {
    const rules = [
      { name: "platform", action: "approve", match: { teams: ["platform"] } },
      { name: "sre", action: "approve", match: { teams: ["acme-corp/sre"] } },
    ];
    expect(problems(rulesOrg(rules))).toEqual([
      expect.stringMatching(
        /approval\.rules\[0\]\.match\.teams: matches by team membership, which the App reads through the API: set app\.permissions\.members to read/,
      ),
      expect.stringMatching(/approval\.rules\[1\]\.match\.teams: matches by team membership/),
      expect.stringMatching(/approval\.rules\[1\]\.match\.teams\[0\]: must be a team's slug as in its URL .*got "acme-corp\/sre"$/),
    ]);
    const app = { name: "acme-broker", homepageUrl: "https://github.com/acme-corp", permissions: { members: "read" } };
    expect(parseOrg(orgEntry({ app, approval: { rules: [rules[0]] } })).approval.rules[0].match.teams).toEqual(["platform"]);
  });

  test("fails with a message, not a crash, when a section the cross-field checks read is not a mapping", () => {
    // The checks that compare keys run even when a section is wrong, so they must cope with anything.
    for (const key of ["approval", "patPolicy", "credentials", "app"]) {
      expect(problems(yaml([orgEntry({ [key]: null })]))).toEqual([
        expect.stringMatching(new RegExp(`organizations\\[0\\]\\.${key}: must be a mapping, got null$`)),
      ]);
    }
    expect(problems(yaml([orgEntry({ credentials: { actions: null } })]))).toEqual([
      expect.stringMatching(/credentials\.actions: must be a mapping, got null$/),
    ]);
    expect(problems(yaml([null]))).toEqual([expect.stringMatching(/organizations\[0\]: must be a mapping, got null$/)]);
  });

  test("reports rule problems, duplicate names and cross-field problems of one file in one run", () => {
    // GIVEN a file whose mistakes used to come out in several passes
    const rules = [
      { name: "dup", action: "deny", match: { anyPermission: { organization: { administation: "write" } } } },
      { name: "dup", action: "approve", match: { owners: ["x"], maxLifetimeDays: 0 } },
    ];
    const lines = problems(
      rulesOrg(rules, {
        patPolicy: { classicMaxLifetimeDays: 30 },
        credentials: { actions: { visibility: "selected" }, dependabot: { visibility: "sometimes" } },
      }),
    );
    // THEN every one of them is in the first run
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/patPolicy\.classicMaxLifetimeDays: is only used when classicTokens is allow/),
        expect.stringMatching(/approval\.rules\[0\]\.match\.anyPermission\.organization\.administation: unknown organization permission/),
        expect.stringMatching(/approval\.rules\[1\]\.name: duplicate rule name \(first used by rules\[0\]\)/),
        expect.stringMatching(/approval\.rules\[1\]\.match\.maxLifetimeDays: must be between 1 and 366/),
        expect.stringMatching(/credentials\.actions\.repositories: must list at least one repository when visibility is selected/),
        expect.stringMatching(/credentials\.dependabot\.visibility: must be one of selected, private, all/),
      ]),
    );
    expect(lines).toHaveLength(6);
  });
});

describe("parseConfig", () => {
  test("returns the configuration, no problems, and every organization as valid when the file is sound", () => {
    const parsed = parseConfig(yaml([orgEntry(), orgEntry({ login: "acme-labs" })]), "p.yaml");
    expect(parsed.problems).toEqual([]);
    expect(parsed.config?.organizations.map((o) => o.login)).toEqual(["acme-corp", "acme-labs"]);
    expect(parsed.validOrganizations.map((o) => [o.index, o.config.login])).toEqual([
      [0, "acme-corp"],
      [1, "acme-labs"],
    ]);
  });

  test("returns the problems and no configuration, without throwing, with the organizations that are valid on their own", () => {
    // GIVEN one broken organization between two sound ones
    const text = yaml([orgEntry(), orgEntry({ login: "acme-labs", patPolicy: { maxLifetimeDays: 400 } }), orgEntry({ login: "acme-ops" })]);
    // WHEN it is parsed
    const parsed = parseConfig(text, "p.yaml");
    // THEN the problem is reported as data, and the sound entries are kept for the policy checks
    expect(parsed.config).toBeUndefined();
    expect(parsed.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "organizations[1].patPolicy.maxLifetimeDays: must be between 1 and 366, got 400",
    ]);
    expect(parsed.validOrganizations.map((o) => [o.index, o.config.login])).toEqual([
      [0, "acme-corp"],
      [2, "acme-ops"],
    ]);
  });

  test("returns no valid organization when the file is not valid YAML", () => {
    const parsed = parseConfig("organizations: [\n", "p.yaml");
    expect(parsed.config).toBeUndefined();
    expect(parsed.problems[0].message).toMatch(/^not valid YAML: /);
    expect(parsed.validOrganizations).toEqual([]);
  });

  test("parseConfigOrThrow throws a ConfigError built from the same problems", () => {
    const text = yaml([orgEntry({ patPolicy: { maxLifetimeDays: 0 } })]);
    const { problems } = parseConfig(text, "p.yaml");
    expect(problems).toHaveLength(1);
    expect(() => parseConfigOrThrow(text, "p.yaml")).toThrow(new ConfigError(problems).message);
  });
});
