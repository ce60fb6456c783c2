// Node (20 has no global WebSocket): the `ws` package. Chosen by package.json "imports" (#websocket).
import WebSocket from 'ws'

export const WebSocketImpl = WebSocket as unknown as typeof globalThis.WebSocket
