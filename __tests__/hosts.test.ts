/**
 * The host guard: where tokens and keys may be sent. Every special-purpose address, in every
 * spelling the URL parser accepts, counts as private; lookalike hosts are refused with the
 * spelling to write instead.
 */
import { apiRootProblem, isLoopbackHost, nonAsciiHostProblem, privateHostProblem } from "../lib/hosts";

/** The hostname the URL parser gives for a URL, as the config check sees it. */
const hostOf = (url: string) => new URL(url).hostname;

describe("privateHostProblem", () => {
  test.each([
    // the holes found by the adversarial pass
    ["https://[::ffff:127.0.0.1]", /IPv4-mapped address of 127\.0\.0\.1, which is a loopback address/],
    ["https://[::ffff:169.254.169.254]", /IPv4-mapped address of 169\.254\.169\.254, which is a link-local address/],
    ["https://[64:ff9b::a9fe:a9fe]", /NAT64 address of 169\.254\.169\.254, which is a link-local/],
    ["https://[fec0::1]", /site-local address/],
    ["https://[2002:7f00:1::]", /6to4 address of 127\.0\.0\.1, which is a loopback address/],
    ["https://localhost./", /is localhost/],
    ["https://192.0.0.1", /IETF protocol assignment/],
    ["https://198.18.0.1", /benchmarking/],
    ["https://198.19.255.254", /benchmarking/],
    ["https://224.0.0.251", /multicast/],
    ["https://255.255.255.255", /broadcast/],
    ["https://[ff02::1]", /multicast/],
    // other spellings and ranges
    ["https://127.0.0.1./", /loopback/],
    ["https://0x7f.1/", /loopback/],
    ["https://2130706433/", /loopback/],
    ["https://[::127.0.0.1]", /IPv4-compatible address of 127\.0\.0\.1/],
    ["https://[fe80::1]", /link-local/],
    ["https://[fd12:3456::1]", /unique local/],
    ["https://[2001:db8::1]", /documentation/],
    ["https://[2001::1]", /Teredo/],
    ["https://[100::1]", /outside global unicast/],
    ["https://192.0.2.10", /TEST-NET-1/],
    ["https://203.0.113.7", /TEST-NET-3/],
    ["https://240.1.2.3", /reserved/],
    ["https://100.100.1.1", /carrier-grade NAT/],
    ["https://172.31.255.255", /private address/],
    ["https://0.1.2.3", /unspecified/],
    ["https://[::]", /unspecified/],
    ["https://[::1]", /loopback/],
    ["https://ghes.localhost", /is localhost/],
  ])("%s is private", (url, message) => {
    expect(privateHostProblem(hostOf(url))).toMatch(message);
  });

  test.each([
    "https://github.com",
    "https://octo.ghe.com",
    "https://140.82.112.3",
    "https://172.32.0.1",
    "https://[2606:50c0:8000::153]",
    "https://198.20.0.1",
    "https://localhost.example.com",
  ])("%s is not private", (url) => {
    expect(privateHostProblem(hostOf(url))).toBeUndefined();
  });

  test("judges a host given without the URL parser's normalisation the same way", () => {
    expect(privateHostProblem("::ffff:127.0.0.1")).toMatch(/loopback/);
    expect(privateHostProblem("LOCALHOST.")).toBe("is localhost");
    expect(privateHostProblem("[fec0::1]")).toMatch(/site-local/);
  });
});

describe("isLoopbackHost", () => {
  test.each(["127.0.0.1", "127.8.9.10", "localhost", "localhost.", "[::1]", "::ffff:127.0.0.1"])("%s is this machine", (h) =>
    expect(isLoopbackHost(h)).toBe(true),
  );
  test.each(["10.0.0.1", "169.254.169.254", "github.com", "[fe80::1]", "::ffff:10.0.0.1", "127.example.com"])("%s is not", (h) =>
    expect(isLoopbackHost(h)).toBe(false),
  );
});

describe("nonAsciiHostProblem", () => {
  test("a lookalike host (Cyrillic і) is refused with the punycode the parser would use", () => {
    expect(nonAsciiHostProblem("https://g\u0456thub.com")).toBe(
      "has a host with non-ASCII characters, which can look like another host; write its ASCII (punycode) spelling xn--gthub-n2e.com if that is the host you mean",
    );
  });

  test("full-width letters are refused, naming the ASCII host they stand for", () => {
    expect(nonAsciiHostProblem("https://\uff47\uff49\uff54\uff48\uff55\uff42.com/")).toMatch(/spelling github\.com /);
  });

  test("ASCII hosts, punycode included, and non-ASCII paths pass", () => {
    expect(nonAsciiHostProblem("https://xn--gthub-n2e.com")).toBeUndefined();
    expect(nonAsciiHostProblem("https://github.example.com:8443/api/v3")).toBeUndefined();
    expect(nonAsciiHostProblem("https://[::1]:8443/")).toBeUndefined();
  });
});

describe("apiRootProblem", () => {
  test.each([
    ["http://api.github.com", /TOKEN_POLICY_API_URL must use https:\/\//],
    ["http://ghes.example/api/v3", /must use https:\/\//],
    ["http://10.0.0.1/api/v3", /must use https:\/\//],
    ["https://user:ghp_secret@ghes.example/api/v3", /must not contain user info/],
    ["https://ghes.example/api/v3?x=1", /must not have a query or fragment/],
    ["https://g\u0456thub.com/api/v3", /xn--gthub-n2e\.com/],
    ["https://ghes.example/api/v3 ", /white space/],
    ["https://[::1", /must be a URL/],
  ])("refuses %j without repeating it", (url, message) => {
    const problem = apiRootProblem("TOKEN_POLICY_API_URL", url);
    expect(problem).toMatch(message);
    expect(problem).not.toContain("ghp_secret");
  });

  test.each([
    "https://api.github.com",
    "https://ghes.example/api/v3",
    "http://127.0.0.1:8080",
    "http://localhost:3000/",
    "http://[::1]:9000",
  ])("accepts %s", (url) => {
    expect(apiRootProblem("GITHUB_API_URL", url)).toBeUndefined();
  });
});
