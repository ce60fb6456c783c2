// The per-request Content-Security-Policy nonce (server/http/app-server.ts makes it): the server
// render puts it on Remix's inline scripts; in the browser it is empty (browsers hide nonces).
import { createContext, useContext } from 'react'

export const NonceContext = createContext('')
export const useNonce = () => useContext(NonceContext)
