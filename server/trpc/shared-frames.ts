// Serialize an event once per process, not once per socket (decision 028). A subscription's event
// reaches every subscriber of the process as one `data` object (server/realtime/fan-out.ts:
// `shared`); tRPC's WebSocket adapter then makes, per socket, the tracked envelope `{ id, data }`,
// runs the output transformer (superjson) on it and JSON-encodes the message. Here:
// - the output transformer answers an envelope whose `data` was marked with `shareSerialization`
//   from a cache: superjson runs once per event and id, and every socket gets the same result;
// - the adapter's encoder writes a message carrying such a result from its cached JSON text, so
//   only the few bytes that differ per socket (the subscription's id) are encoded per socket.
// Marked objects are never mutated after they are yielded (they are events, made for the wire).
import superjson from 'superjson'

type Serialized = ReturnType<typeof superjson.serialize>

const shareable = new WeakSet<object>()
const serializedByData = new WeakMap<object, { id: string; serialized: Serialized }>()
/** The cached serializations, and their JSON once a socket's message carried one. */
const cachedSerializations = new WeakSet<Serialized>()
const jsonBySerialized = new WeakMap<Serialized, string>()

/** Marks the data of a tracked event as one object sent to many sockets. */
export function shareSerialization(data: unknown): void {
  if (data !== null && typeof data === 'object') shareable.add(data)
}

const isEnvelope = (value: unknown): value is { id: string; data: object } => {
  if (value === null || typeof value !== 'object') return false
  const v = value as { id?: unknown; data?: unknown }
  return typeof v.id === 'string' && v.data !== null && typeof v.data === 'object' && shareable.has(v.data) && Object.keys(v).length === 2
}

/** The router's output transformer: superjson, once per shared event. */
export const sharedOutputTransformer = {
  serialize(value: unknown): Serialized {
    if (!isEnvelope(value)) return superjson.serialize(value)
    const cached = serializedByData.get(value.data)
    if (cached && cached.id === value.id) return cached.serialized
    const serialized = superjson.serialize(value)
    serializedByData.set(value.data, { id: value.id, serialized })
    cachedSerializations.add(serialized)
    return serialized
  },
  deserialize: superjson.deserialize.bind(superjson),
}

type Message = { id?: unknown; jsonrpc?: unknown; result?: { type?: unknown; id?: unknown; data?: unknown } }

/**
 * tRPC's WebSocket encoder (JSON text frames) that reuses the JSON of a shared serialized event.
 * Any other message is `JSON.stringify`-ed as tRPC's default encoder does.
 */
export const sharedFrameEncoder = {
  encode(message: unknown): string {
    const m = message as Message
    const data = m?.result?.data
    if (data === null || typeof data !== 'object' || !isDataMessage(m)) return JSON.stringify(message)
    let json = jsonBySerialized.get(data as Serialized)
    if (json === undefined) {
      if (!cachedSerializations.has(data as Serialized)) return JSON.stringify(message)
      jsonBySerialized.set(data as Serialized, (json = JSON.stringify(data)))
    }
    const jsonrpc = m.jsonrpc === undefined ? '' : `"jsonrpc":${JSON.stringify(m.jsonrpc)},`
    const eventId = m.result!.id === undefined ? '' : `,"id":${JSON.stringify(m.result!.id)}`
    return `{"id":${JSON.stringify(m.id ?? null)},${jsonrpc}"result":{"type":"data","data":${json}${eventId}}}`
  },
  decode(data: string | Buffer): unknown {
    if (typeof data !== 'string') throw new Error('JSON uses text frames')
    return JSON.parse(data)
  },
}

/** A message of exactly `{ id, jsonrpc?, result: { type: 'data', data, id? } }`, nothing else to encode. */
function isDataMessage(m: Message): boolean {
  if (m.result?.type !== 'data') return false
  for (const key in m) if (key !== 'id' && key !== 'jsonrpc' && key !== 'result') return false
  for (const key in m.result) if (key !== 'type' && key !== 'data' && key !== 'id') return false
  return true
}
