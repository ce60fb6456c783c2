// An unexpected console.error is a bug the test did not look for (an Epic Stack habit).
import { afterEach, beforeEach, vi } from 'vitest'

let spy: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  spy = vi.spyOn(console, 'error')
})
afterEach(() => {
  const calls = spy.mock.calls
  spy.mockRestore()
  if (calls.length) throw new Error(`console.error was called:\n${calls.map((c: unknown[]) => c.map(String).join(' ')).join('\n')}`)
})
