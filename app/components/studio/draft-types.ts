// The contract between the Studio's editors and the draft endpoint (app/routes/studio.drafts.ts).
import type { ShouldRevalidateFunction } from '@remix-run/react'
import type { ConfigIssue } from '../../../server/config-language'

export const DRAFTS_ACTION = '/studio/drafts'

/** A Studio route's shouldRevalidate: autosaves answer through a fetcher and must not reload the page under the editor. */
export const skipRevalidateOnAutosave: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction === DRAFTS_ACTION ? false : defaultShouldRevalidate

export type ItemState = 'live' | 'modified' | 'new' | 'deleted'

export type DraftActionData =
  | {
      ok: true
      seq: number
      intent: 'save' | 'delete' | 'discard'
      draftRevision: number
      errors: ConfigIssue[]
      warnings: ConfigIssue[]
      /** discard only: the item's working copy afterwards (null when the item is gone). */
      content?: unknown
      state?: ItemState | null
    }
  | { ok: false; seq: number; kind: 'conflict' | 'error'; message: string }

export type DraftLoaderData = { found: false } | { found: true; content: unknown; draftRevision: number; state: ItemState }
