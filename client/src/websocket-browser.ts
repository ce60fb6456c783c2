// Browsers: the native WebSocket. Chosen by package.json "imports" (#websocket) under the "browser" condition.
export const WebSocketImpl = globalThis.WebSocket
