// A one-time message for the next page ("Customer saved"), set by an action before it redirects
// and shown as a toast by the shell (app/components/shell/flash-toasts.tsx). Shape shared by the
// server side (app/utils/flash.server.ts) and the browser.

export type Flash = {
  /** Unique per flash, so the same text twice still shows twice. */
  id: string
  title: string
  description?: string
  /**
   * Undo of an update: the previous values of the changed fields, written back with the version
   * the update produced (so a change by someone else meanwhile is a conflict, never overwritten).
   */
  undo?: { action: string; values: Record<string, unknown>; expectedVersion: number }
}
