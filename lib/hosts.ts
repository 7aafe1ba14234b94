/**
 * Hosts that tokens and keys are sent to: which are private or special-purpose, which are this
 * machine, and which are spelled with characters that only look like ASCII. Pure; used by the
 * config schema (`githubUrl`) and by the CLI for the API and web roots it is given.
 */

/**
 * IANA's special-purpose IPv4 ranges (RFC 6890 and its updates), as [first octets, prefix
 * length, what it is]. None of them is a public GitHub instance.
 */
const SPECIAL_V4: readonly (readonly [number[], number, string])[] = [
  [[0], 8, 'is an unspecified ("this network") address'],
  [[10], 8, "is a private address"],
  [[100, 64], 10, "is a shared (carrier-grade NAT) address"],
  [[127], 8, "is a loopback address"],
  [[169, 254], 16, "is a link-local address"],
  [[172, 16], 12, "is a private address"],
  [[192, 0, 0], 24, "is an IETF protocol assignment address (192.0.0.0/24)"],
  [[192, 0, 2], 24, "is a documentation address (TEST-NET-1)"],
  [[192, 31, 196], 24, "is an AS112 address (192.31.196.0/24)"],
  [[192, 52, 193], 24, "is an AMT relay address (192.52.193.0/24)"],
  [[192, 88, 99], 24, "is a 6to4 relay anycast address (192.88.99.0/24)"],
  [[192, 168], 16, "is a private address"],
  [[192, 175, 48], 24, "is an AS112 address (192.175.48.0/24)"],
  [[198, 18], 15, "is a benchmarking address (198.18.0.0/15)"],
  [[198, 51, 100], 24, "is a documentation address (TEST-NET-2)"],
  [[203, 0, 113], 24, "is a documentation address (TEST-NET-3)"],
  [[224], 4, "is a multicast address"],
  [[255, 255, 255, 255], 32, "is the broadcast address"],
  [[240], 4, "is a reserved address (240.0.0.0/4)"],
];

/** Why an IPv4 address (four octets) is special-purpose, or undefined when it is public. */
function v4Problem(octets: readonly number[]): string | undefined {
  const value = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  for (const [first, bits, what] of SPECIAL_V4) {
    const base = ((first[0] << 24) | ((first[1] ?? 0) << 16) | ((first[2] ?? 0) << 8) | (first[3] ?? 0)) >>> 0;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === (base & mask) >>> 0) return what;
  }
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (dotted IPv4 tail allowed), or undefined. */
function v6Groups(text: string): number[] | undefined {
  let s = text;
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (dotted) {
    const o = dotted.slice(2).map(Number);
    if (o.some((n) => n > 255)) return undefined;
    s = `${dotted[1]}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const part = (p: string) => (p === "" ? [] : p.split(":"));
  const head = part(halves[0]);
  const tail = halves.length === 2 ? part(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

/** The IPv4 address carried in two 16-bit groups. */
function embeddedV4(hi: number, lo: number): number[] {
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
}

/** Why an IPv6 address is not a public unicast address, or undefined. */
function v6Problem(g: readonly number[]): string | undefined {
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8)) return "is an unspecified address";
  if (zeros(7) && g[7] === 1) return "is a loopback address";
  const carried = (form: string, v4: number[]) => {
    const inner = v4Problem(v4);
    return `is an ${form} address${inner ? ` of ${v4.join(".")}, which ${inner}` : ""}`;
  };
  if (zeros(5) && g[5] === 0xffff) return carried("IPv4-mapped", embeddedV4(g[6], g[7]));
  if (zeros(6)) return carried("IPv4-compatible", embeddedV4(g[6], g[7]));
  if (g[0] === 0x64 && g[1] === 0xff9b) return carried("NAT64", embeddedV4(g[6], g[7]));
  if (g[0] === 0x2002) return carried("6to4", embeddedV4(g[1], g[2]));
  if (g[0] === 0x2001 && g[1] === 0) return "is a Teredo address";
  if (g[0] === 0x2001 && g[1] === 0xdb8) return "is a documentation address (2001:db8::/32)";
  if (g[0] === 0x2001 && g[1] < 0x200) return "is an IETF protocol assignment address (2001::/23)";
  if (g[0] === 0x3fff && g[1] < 0x1000) return "is a documentation address (3fff::/20)";
  if ((g[0] & 0xffc0) === 0xfe80) return "is a link-local address";
  if ((g[0] & 0xffc0) === 0xfec0) return "is a site-local address";
  if ((g[0] & 0xfe00) === 0xfc00) return "is a private (unique local) address";
  if ((g[0] & 0xff00) === 0xff00) return "is a multicast address";
  // Only 2000::/3 holds global unicast addresses; everything else is reserved or special.
  if ((g[0] & 0xe000) !== 0x2000) return "is a reserved IPv6 address (outside global unicast 2000::/3)";
  return undefined;
}

/**
 * A host as the WHATWG URL parser writes it (brackets off, lower case, one trailing dot off), so
 * `0x7f.1`, `2130706433` and `127.0.0.1.` are all read as 127.0.0.1.
 */
function normalHost(hostname: string): string {
  let h = hostname.trim().toLowerCase();
  if (!h.startsWith("[") && h.includes(":")) h = `[${h}]`;
  try {
    h = new URL(`https://${h}/`).hostname;
  } catch {
    // judged as written
  }
  return h.replace(/^\[|\]$/g, "").replace(/\.+$/, "");
}

/**
 * Why a host is private or special-purpose (loopback, link-local, private, shared, multicast,
 * broadcast, documentation, benchmarking and every other IANA special-purpose IPv4 range;
 * IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6 forms of them; site-local, unique-local,
 * link-local, multicast and every IPv6 address outside global unicast; `localhost`), or undefined.
 * A trailing dot is ignored. Only address literals and `localhost` are judged: a name's address
 * is not looked up.
 */
export function privateHostProblem(hostname: string): string | undefined {
  const h = normalHost(hostname);
  if (h === "localhost" || h.endsWith(".localhost")) return "is localhost";
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) return v4Problem(v4.slice(1).map(Number));
  if (h.includes(":")) {
    const groups = v6Groups(h);
    return groups ? v6Problem(groups) : "is not a valid IPv6 address";
  }
  return undefined;
}

/** Whether a host is this machine: `localhost`, 127.0.0.0/8 or ::1 (also IPv4-mapped). */
export function isLoopbackHost(hostname: string): boolean {
  const h = normalHost(hostname);
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const v4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
  if (v4) return true;
  const g = h.includes(":") ? v6Groups(h) : undefined;
  if (!g) return false;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  return g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff && g[6] >> 8 === 127;
}

/**
 * The host part of a URL as written: after the scheme, before the path, query or fragment, without
 * user info and port.
 */
function writtenHost(url: string): string {
  const authority = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").split(/[/?#\\]/)[0];
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "");
}

/**
 * Why a URL's host is not plain ASCII, or undefined: a name such as `gіthub.com` (Cyrillic і)
 * would be shown in Unicode and look like another host. The message gives the ASCII (punycode)
 * spelling to write instead, which is what the URL parser would have sent to.
 */
export function nonAsciiHostProblem(url: string): string | undefined {
  const written = writtenHost(url);
  if (/^[\x00-\x7f]*$/.test(written)) return undefined;
  let ascii: string | undefined;
  try {
    ascii = new URL(`https://${written}/`).hostname;
  } catch {
    ascii = undefined;
  }
  return ascii
    ? `has a host with non-ASCII characters, which can look like another host; write its ASCII (punycode) spelling ${ascii} if that is the host you mean`
    : "has a host with non-ASCII characters, which can look like another host; write the host in ASCII";
}

/**
 * Why a URL cannot be the root that API calls (tokens, the App's key, its client secret) go to,
 * or undefined: it must be `https://`, or `http://` to this machine only (a local stand-in or
 * proxy); an ASCII host; no user info, query or fragment. `what` names the flag or variable;
 * the value itself is never part of the message.
 */
export function apiRootProblem(what: string, url: string): string | undefined {
  if (/[\u0000-\u0020\u007f-\u009f]/.test(url)) return `${what} must not contain white space or control characters`;
  const nonAscii = nonAsciiHostProblem(url);
  if (nonAscii) return `${what} ${nonAscii}`;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${what} must be a URL such as https://api.github.com or https://HOST/api/v3`;
  }
  if (u.protocol !== "https:" && !(u.protocol === "http:" && isLoopbackHost(u.hostname))) {
    return `${what} must use https:// (http:// only to this machine: localhost, 127.0.0.1 or [::1]); credentials are sent there`;
  }
  if (u.username || u.password) return `${what} must not contain user info (user@host)`;
  if (u.search || u.hash) return `${what} must not have a query or fragment`;
  return undefined;
}
