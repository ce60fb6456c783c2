// GET /api/runtime/config's bytes: the live snapshot serialized once per version, and compressed
// once per version and encoding, not once per request (docs/decisions/025-performance.md). A
// snapshot object is the same for as long as its version is live (runtime-config.ts caches it),
// so it keys the encoded bodies; a newer version is a new object and the old bodies go with it.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Request, Response } from 'express'
import type { LiveConfig } from '../config/runtime-config'

type Encoding = 'br' | 'gzip' | 'identity'
type Encoded = { etag: string; bodies: Map<Encoding, Buffer> }

const encodedConfigs = new WeakMap<LiveConfig, Encoded>()

// Below this a compressed body saves less than its headers cost.
const MIN_COMPRESS_BYTES = 1_024

function encodedOf(live: LiveConfig): Encoded {
  let encoded = encodedConfigs.get(live)
  if (!encoded) {
    const json = JSON.stringify({ version: live.version, checksum: live.checksum, publishedAt: live.createdAt, items: live.items })
    encoded = { etag: `"${live.checksum}"`, bodies: new Map([['identity', Buffer.from(json)]]) }
    encodedConfigs.set(live, encoded)
  }
  return encoded
}

function bodyOf(encoded: Encoded, encoding: Encoding): Buffer {
  let body = encoded.bodies.get(encoding)
  if (!body) {
    const raw = encoded.bodies.get('identity')!
    // Quality 9 (of 11): within a few per cent of the best, a fraction of its time; paid once.
    body = encoding === 'br' ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }) : gzipSync(raw)
    encoded.bodies.set(encoding, body)
  }
  return body
}

/** Answers 304 for the current ETag, else the snapshot in the best encoding the client accepts. */
export function sendRuntimeConfig(req: Request, res: Response, live: LiveConfig): void {
  const encoded = encodedOf(live)
  res.setHeader('ETag', encoded.etag)
  res.setHeader('Cache-Control', 'private, no-cache')
  res.setHeader('Vary', 'Accept-Encoding')
  if (req.headers['if-none-match'] === encoded.etag) return void res.status(304).end()
  const identity = encoded.bodies.get('identity')!
  // Ours, not the client's, order among what it accepts: brotli is the smaller and costs the same here.
  const encoding: Encoding =
    identity.length < MIN_COMPRESS_BYTES ? 'identity' : req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip') ? 'gzip' : 'identity'
  const body = bodyOf(encoded, encoding)
  res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8')
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding)
  res.setHeader('Content-Length', body.length)
  res.end(body)
}
