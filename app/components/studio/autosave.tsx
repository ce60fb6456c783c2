// Draft autosave for one config item: the editor changes its local copy, and 800 ms after the last
// change the copy goes to the draft endpoint (a keyed Remix fetcher → config.saveDraft) with the
// revision it was based on. A stale revision comes back as a conflict: autosave stops, the editor
// shows a banner, and the person's own edit stays on screen (and copyable) until they reload.
//
// Saving never races itself: one fetcher per item, a second save waits for the first answer. The
// page-level <UnsavedChangesGuard> holds navigation until every open item is saved.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { useFetcher } from '@remix-run/react'
import { formatAddress, type ConfigIssue, type EntitySegment, type Namespace } from '../../../server/config-language'
import { DiscardChangesDialog, useUnsavedChanges } from '~/components/unsaved-changes'
import { DRAFTS_ACTION, type DraftActionData, type DraftLoaderData, type ItemState } from './draft-types'

export const AUTOSAVE_DELAY_MS = 800

export type ItemRef = { namespace: Namespace; entity: EntitySegment; key: string }
export type LocalState = ItemState | 'absent'
export type AutosaveStatus = 'saved' | 'pending' | 'saving' | 'conflict' | 'error'

export type Loaded<T> = { content: T | null; revision: number; state: LocalState }

// ---------------------------------------------------------------------------------------------
// What this browser tab knows beyond the page's loader data (module state, client only).

/** The newest revision this tab saved per item, so a remounted editor never starts from older data. */
const known = new Map<string, { revision: number; json: string; state: LocalState }>()
/** Submissions awaiting their answer, by sequence number. */
const inflight = new Map<number, { address: string; json: string; intent: 'save' | 'delete' | 'discard'; prevState: LocalState }>()
let nextSeq = 1

type Registration = { status: AutosaveStatus; flush: () => void; label: string }
const editors = new Map<string, Registration>()
const listeners = new Set<() => void>()
let registryVersion = 0
function notify() {
  registryVersion++
  for (const l of listeners) l()
}
function subscribe(l: () => void) {
  listeners.add(l)
  return () => listeners.delete(l)
}

const UNSAVED: readonly AutosaveStatus[] = ['pending', 'saving', 'conflict', 'error']
const hasUnsaved = () => [...editors.values()].some((e) => UNSAVED.includes(e.status))

function startingPoint<T>(address: string, loaded: Loaded<T>): { content: T | null; revision: number; state: LocalState } {
  const mine = known.get(address)
  if (mine && mine.revision > loaded.revision) {
    return { content: JSON.parse(mine.json) as T | null, revision: mine.revision, state: mine.state }
  }
  return loaded
}

/** A draft item of any content type, for components that only show its state or edit it as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any content type; such components never read it typed
export type AnyDraftItem = DraftItem<any>

export type DraftItem<T> = {
  address: string
  content: T | null
  /** Replace the local copy (autosaved after the delay). */
  setContent: (next: T | ((prev: T) => T)) => void
  state: LocalState
  revision: number
  status: AutosaveStatus
  message: string | null
  /** Issues the server reported for this item on the last save. */
  serverIssues: { errors: ConfigIssue[]; warnings: ConfigIssue[] } | null
  /** Your edit that could not be saved because someone else saved first (JSON), until dismissed. */
  unsavedEdit: string | null
  dismissUnsavedEdit: () => void
  saveNow: () => void
  /** Mark the item for removal (or forget it when it was never published). */
  remove: () => void
  /** Drop the pending draft and go back to the published content. */
  discard: () => void
  /** Load the current working copy from the server (after a conflict). */
  reload: () => void
  reloading: boolean
}

/**
 * One config item being edited. `loaded` is what the page's loader read; `label` names the item in
 * the "still saving" messages.
 */
/**
 * "New …" links land with ?create=…: an item that does not exist yet starts from `template()`,
 * once, for someone who may edit. Pass null when the page is not creating.
 */
export function useStartFromTemplate<T>(draft: DraftItem<T>, template: (() => T) | null, readOnly: boolean) {
  const created = useRef(false)
  useEffect(() => {
    if (template && !created.current && draft.state === 'absent' && draft.content === null && !readOnly) {
      created.current = true
      draft.setContent(template())
    }
  }, [draft, template, readOnly])
}

export function useDraftItem<T>({
  item,
  loaded,
  readOnly,
  label,
  delay = AUTOSAVE_DELAY_MS,
}: {
  item: ItemRef
  loaded: Loaded<T>
  readOnly: boolean
  label: string
  delay?: number
}): DraftItem<T> {
  const address = formatAddress(item.namespace, item.entity, item.key)
  const fetcher = useFetcher<DraftActionData>({ key: `draft:${address}` })
  const loader = useFetcher<DraftLoaderData>({ key: `draft-load:${address}` })
  const [start] = useState(() => startingPoint(address, loaded))
  const [content, setContentState] = useState<T | null>(start.content)
  const [state, setState] = useState<LocalState>(start.state)
  const [revision, setRevision] = useState(start.revision)
  const [status, setStatus] = useState<AutosaveStatus>('saved')
  const [message, setMessage] = useState<string | null>(null)
  const [serverIssues, setServerIssues] = useState<DraftItem<T>['serverIssues']>(null)
  const [unsavedEdit, setUnsavedEdit] = useState<string | null>(null)

  const contentRef = useRef(content)
  contentRef.current = content
  const revisionRef = useRef(start.revision)
  const stateRef = useRef(state)
  stateRef.current = state
  const savedJson = useRef(JSON.stringify(start.content))
  const statusRef = useRef(status)
  statusRef.current = status
  const busy = useRef(false)
  /** A reload was asked for; the next answer of the item's loader replaces the local copy. */
  const reloading = useRef(false)
  const fetcherRef = useRef(fetcher)
  fetcherRef.current = fetcher

  const submit = useCallback(
    (intent: 'save' | 'delete' | 'discard') => {
      const seq = nextSeq++
      const json = JSON.stringify(contentRef.current)
      inflight.set(seq, { address, json, intent, prevState: stateRef.current })
      busy.current = true
      setStatus('saving')
      const body = { intent, seq, ...item, expectedRevision: revisionRef.current, ...(intent === 'save' ? { content: JSON.parse(json) } : {}) }
      fetcherRef.current.submit(body, { method: 'post', action: DRAFTS_ACTION, encType: 'application/json' })
    },
    // The address identifies the item; `item` is rebuilt on every render by callers.
    [address],
  )

  const flush = useCallback(() => {
    if (readOnly || statusRef.current === 'conflict') return
    // One save at a time: the answer handler saves again if the copy changed meanwhile.
    if (busy.current) return
    if (contentRef.current === null || JSON.stringify(contentRef.current) === savedJson.current) {
      if (statusRef.current === 'pending') setStatus('saved')
      return
    }
    submit('save')
  }, [readOnly, submit])

  // Debounce: a save 800 ms after the last change.
  useEffect(() => {
    if (readOnly || status === 'conflict' || content === null) return
    if (JSON.stringify(content) === savedJson.current) return
    if (!busy.current) setStatus('pending')
    const timer = setTimeout(flush, delay)
    return () => clearTimeout(timer)
  }, [content])

  // A loader revalidation (e.g. after a publish bumped the revision) is adopted while nothing is unsaved.
  useEffect(() => {
    if (loaded.revision > revisionRef.current && !busy.current && JSON.stringify(contentRef.current) === savedJson.current) {
      revisionRef.current = loaded.revision
      savedJson.current = JSON.stringify(loaded.content)
      setRevision(loaded.revision)
      setContentState(loaded.content)
      setState(loaded.state)
    }
  }, [loaded.revision])

  // Answers from the draft endpoint. Whoever is mounted handles each answer exactly once.
  useEffect(() => {
    const data = fetcher.data
    if (!data || fetcher.state !== 'idle') return
    const sent = inflight.get(data.seq)
    if (!sent || sent.address !== address) return
    inflight.delete(data.seq)
    busy.current = false
    if (data.ok) {
      revisionRef.current = data.draftRevision
      setRevision(data.draftRevision)
      setMessage(null)
      let nextState: LocalState
      if (data.intent === 'save') {
        savedJson.current = sent.json
        nextState = sent.prevState === 'absent' || sent.prevState === 'new' ? 'new' : 'modified'
        setServerIssues({ errors: data.errors, warnings: data.warnings })
      } else if (data.intent === 'delete') {
        nextState = sent.prevState === 'new' || sent.prevState === 'absent' ? 'absent' : 'deleted'
        setServerIssues(null)
      } else {
        nextState = data.state ?? 'absent'
        const restored = (data.content ?? null) as T | null
        savedJson.current = JSON.stringify(restored)
        contentRef.current = restored
        setContentState(restored)
        setServerIssues(null)
      }
      setState(nextState)
      known.set(address, { revision: data.draftRevision, json: savedJson.current, state: nextState })
      const dirty = contentRef.current !== null && JSON.stringify(contentRef.current) !== savedJson.current && nextState !== 'deleted' && nextState !== 'absent'
      if (dirty) submit('save')
      else setStatus('saved')
    } else if (data.kind === 'conflict') {
      setStatus('conflict')
      setMessage(data.message)
      setUnsavedEdit(JSON.stringify(contentRef.current, null, 2))
    } else {
      setStatus('error')
      setMessage(data.message)
    }
  }, [fetcher.data, fetcher.state, address, submit])

  // Reload after a conflict: the server's working copy replaces the local one; the lost edit stays
  // visible in the banner (unsavedEdit) until dismissed.
  useEffect(() => {
    const data = loader.data
    if (!data || loader.state !== 'idle' || !reloading.current) return
    reloading.current = false
    const next = data.found ? (data.content as T | null) : null
    const rev = data.found ? data.draftRevision : 0
    revisionRef.current = rev
    savedJson.current = JSON.stringify(next)
    known.set(address, { revision: rev, json: savedJson.current, state: data.found ? data.state : 'absent' })
    contentRef.current = next
    setContentState(next)
    setRevision(rev)
    setState(data.found ? data.state : 'absent')
    setStatus('saved')
    setMessage(null)
  }, [loader.data, loader.state, address])

  // Registration for the page's unsaved-changes guard.
  useEffect(() => {
    editors.set(address, { status, flush, label })
    notify()
  }, [address, status, flush, label])
  useEffect(
    () => () => {
      editors.delete(address)
      notify()
    },
    [address],
  )

  const setContent = useCallback(
    (next: T | ((prev: T) => T)) => {
      if (readOnly) return
      const value = typeof next === 'function' ? (next as (p: T) => T)(contentRef.current as T) : next
      contentRef.current = value
      setContentState(value)
      // "Unsaved" from the very keystroke (not from the debounce effect a moment later), so the
      // status and the navigation guard never claim "saved" while an edit waits.
      if (!busy.current && statusRef.current !== 'conflict' && JSON.stringify(value) !== savedJson.current) {
        statusRef.current = 'pending'
        setStatus('pending')
        const reg = editors.get(address)
        if (reg) reg.status = 'pending'
      }
    },
    [readOnly, address],
  )

  return useMemo(
    () => ({
      address,
      content,
      setContent,
      state,
      revision,
      status,
      message,
      serverIssues,
      unsavedEdit,
      dismissUnsavedEdit: () => setUnsavedEdit(null),
      saveNow: flush,
      remove: () => {
        if (readOnly || busy.current) return
        if (stateRef.current === 'absent') return
        submit('delete')
      },
      discard: () => {
        if (readOnly || busy.current) return
        submit('discard')
      },
      reload: () => {
        reloading.current = true
        setUnsavedEdit(JSON.stringify(contentRef.current, null, 2))
        const params = new URLSearchParams({ namespace: item.namespace, entity: item.entity, key: item.key })
        loader.load(`${DRAFTS_ACTION}?${params}`)
      },
      reloading: loader.state !== 'idle',
    }),
    [address, content, setContent, state, revision, status, message, serverIssues, unsavedEdit, flush, submit, readOnly, loader.state],
  )
}

/**
 * One per page: holds a navigation until every open item is saved (flushing the pending ones at
 * once), and asks before closing the tab with unsaved changes. An item in conflict or error asks
 * before leaving, since leaving would drop that edit.
 */
export function UnsavedChangesGuard() {
  useSyncExternalStore(
    subscribe,
    () => registryVersion,
    () => 0,
  )
  const { blocker } = useUnsavedChanges(hasUnsaved)
  useEffect(() => {
    if (blocker.state !== 'blocked') return
    const all = [...editors.values()]
    // Edits that cannot be saved wait for the person's answer in the dialog below.
    if (all.some((e) => e.status === 'conflict' || e.status === 'error')) return
    if (all.some((e) => e.status === 'pending')) {
      for (const e of all) if (e.status === 'pending') e.flush()
      return
    }
    if (!all.some((e) => e.status === 'saving')) blocker.proceed()
  })
  const stuck = [...editors.values()].filter((e) => e.status === 'conflict' || e.status === 'error')
  if (blocker.state !== 'blocked') return null
  return stuck.length ? (
    <DiscardChangesDialog blocker={blocker} description={`Your changes to ${stuck.map((e) => e.label).join(', ')} are not saved. Leave and lose them?`} />
  ) : (
    <p className="studio-saving-note" role="status">
      Saving your changes…
    </p>
  )
}
