// The address a request comes from, for rate limits and logs. X-Forwarded-For is written by
// whoever sends the request, so it counts only for the proxy hops TRUST_PROXY says are ours.
import { isIP } from 'node:net'

/**
 * `trustedHops` 0: the socket address. N: walk N entries back from the socket through
 * X-Forwarded-For (each trusted proxy appended the address it saw). Infinity: the first entry.
 * An entry that is not an IP address (garbage a client wrote) falls back to the socket address.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  const socket = socketAddress ?? 'unknown'
  if (!trustedHops || !forwardedFor) return socket
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
  const chain = [socket, ...forwarded.reverse()]
  const candidate = chain[Math.min(trustedHops, chain.length - 1)]!
  return isIP(candidate) ? candidate : socket
}
