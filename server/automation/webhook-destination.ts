// Where a webhook may go: the SSRF guard. A tenant admin types the URL, and the server makes the
// request from inside our network, so without this a webhook could read cloud metadata
// (169.254.169.254), the database or Redis. Every address the host resolves to is checked; the
// request then connects to the checked address itself (no second DNS lookup a rebinding DNS
// server could answer differently). WEBHOOK_ALLOW_PRIVATE=true lifts the rule for tests and
// local tools (decision 019).
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

const refused = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  refused.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  refused.addSubnet(net, prefix, 'ipv6')
}

/** The eight 16-bit groups of an IPv6 address (with or without an embedded dotted IPv4 tail). */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().split('%')[0]!
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted) {
    const octets = dotted[1]!.split('.').map(Number)
    text = `${text.slice(0, -dotted[1]!.length)}${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`
  }
  const [head, tail] = text.split('::', 2) as [string, string | undefined]
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : [])
  const left = parse(head)
  const right = tail === undefined ? [] : parse(tail)
  const groups = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right]
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null
}

/**
 * The IPv4 address an IPv6 address carries when it reaches an IPv4 host: IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d). Null otherwise.
 */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address)
  if (!g) return null
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0)
  const mapped = zeros(5) && g[5] === 0xffff
  const compatible = zeros(6) && (g[6] !== 0 || g[7]! > 1)
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)
  if (!mapped && !compatible && !nat64) return null
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.')
}

/** Whether `address` (an IP literal) is loopback, private, link-local, multicast or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return refused.check(address, 'ipv4')
  if (family !== 6) return true // not an address at all: never a place to send a request
  const v4 = embeddedIpv4(address)
  if (v4 !== null) return refused.check(v4, 'ipv4')
  return refused.check(address, 'ipv6')
}

export type Destination = { address: string; family: 4 | 6 }

export class RefusedDestinationError extends Error {
  override name = 'RefusedDestinationError'
}

/**
 * The address to connect to for `hostname` (a name or an IP literal, IPv6 without brackets):
 * every address it resolves to must be public unless `allowPrivate`; the first is used.
 * Throws RefusedDestinationError for a refused one, and the resolver's error when it fails.
 */
export async function resolveDestination(hostname: string, allowPrivate: boolean): Promise<Destination> {
  const addresses = await lookup(hostname, { all: true, verbatim: true })
  if (addresses.length === 0) throw new RefusedDestinationError(`${hostname} has no address`)
  if (!allowPrivate) {
    const bad = addresses.find((a) => isPrivateAddress(a.address))
    if (bad) throw new RefusedDestinationError(`${hostname} resolves to a private address (${bad.address}); set WEBHOOK_ALLOW_PRIVATE=true to allow it`)
  }
  const first = addresses[0]!
  return { address: first.address, family: first.family === 6 ? 6 : 4 }
}
