// The composer's run region for one automation: a dry run of its working copy against a record the
// admin picks (with a simulated change for update triggers), told in words, and its recent runs
// from the run log with a link to each run and to the whole log.
import { Link, useFetcher } from '@remix-run/react'
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import type { AutomationContent, ConfigIndex, Entity, FieldDef } from '../../../server/config-language'
import { ENTITY_META, type MemberOption } from '~/components/crm/entities'
import { FieldControl, type LookupOption } from '~/components/crm/field-inputs'
import { Button } from '~/components/ui/button'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import type { loader as runLogLoader } from '~/routes/studio.runs._index'
import { TypedValueInput } from './action-builder'
import { RunsTable } from './run-log'
import { traceWords, type DryRunResult } from './run-words'

/** What /studio/dry-run answers. */
export type DryRunReply = { ok: true; result: DryRunResult } | { ok: false; message: string }

const RECENT_RUNS = 10
/** Fields a change cannot touch: the record's identity and bookkeeping. */
const NOT_CHANGEABLE = new Set(['id', 'createdAt', 'updatedAt', 'version'])

type Props = { automationKey: string; content: AutomationContent; index: ConfigIndex; members: readonly MemberOption[] }

export function AutomationRunsPanel(props: Props) {
  return (
    <>
      <DryRunPanel {...props} />
      <RecentRuns automationKey={props.automationKey} />
    </>
  )
}

type ChangeRow = { field: string; value: unknown }

function DryRunPanel({ content, index, members }: Props) {
  const id = useId()
  const { entity } = content
  const meta = ENTITY_META[entity]
  const trigger = index.content('triggers', entity, content.trigger)
  const isUpdate = trigger?.event === 'record.updated'
  const fields = (index.fields(entity) ?? []).filter((f) => !NOT_CHANGEABLE.has(f.name))
  const [recordId, setRecordId] = useState('')
  const [rows, setRows] = useState<ChangeRow[]>(() => (trigger?.fields ?? []).map((f) => ({ field: f.replace(/^data\./, ''), value: null })))
  const run = useFetcher<DryRunReply>()
  const noRecords = useHasNoRecords(entity)

  const pickerDef: FieldDef = { name: 'record', label: meta.singular, type: 'lookup', lookupEntity: entity, builtIn: true, required: true }
  const unused = fields.filter((f) => !rows.some((r) => r.field === f.name))
  const submit = () => {
    const change = isUpdate ? { values: Object.fromEntries(rows.map((r) => [r.field, r.value])) } : undefined
    const payload = { automation: content, recordId, ...(change ? { change } : {}) }
    // Plain JSON by construction (config content and the typed inputs' values); Remix's JSON type cannot see that through `unknown`.
    run.submit(payload as unknown as Parameters<typeof run.submit>[0], { method: 'post', action: '/studio/dry-run', encType: 'application/json' })
  }
  const reply = run.state === 'idle' ? run.data : undefined

  return (
    <section className="dry-run" aria-labelledby={`${id}-title`} data-testid="dry-run">
      <h4 id={`${id}-title`}>Dry run</h4>
      <p className="muted">
        What this automation would do to one {meta.singular.toLowerCase()}, as it is on screen now (its trigger, conditions and actions as saved). Nothing is
        changed.
      </p>
      {noRecords ? (
        <p className="muted" data-testid="dry-run-no-records">
          There are no {meta.plural.toLowerCase()} yet: create one to try this automation against.
        </p>
      ) : (
        <>
          <div className="dry-run__form">
            <div className="field">
              <Label id={`${id}-record-label`} htmlFor={`${id}-record`}>
                {meta.singular} to try
              </Label>
              <FieldControl
                id={`${id}-record`}
                labelId={`${id}-record-label`}
                def={pickerDef}
                value={recordId}
                onChange={(v) => setRecordId(typeof v === 'string' ? v : '')}
                onBlur={() => undefined}
              />
            </div>
            <Button onClick={submit} disabled={!recordId || run.state !== 'idle'}>
              {run.state === 'idle' ? 'Run dry' : 'Running…'}
            </Button>
          </div>
          {isUpdate ? (
            <fieldset className="dry-run__change">
              <legend>Simulated change</legend>
              {rows.length === 0 ? <p className="muted">No field changes yet: add the fields the update changes.</p> : null}
              {rows.map((row, i) => {
                const def = fields.find((f) => f.name === row.field)
                const label = def?.label ?? row.field
                return (
                  <div key={row.field} className="toolbar">
                    <span id={`${id}-change-${i}-label`}>
                      <Label htmlFor={`${id}-change-${i}`}>New {label}</Label>
                    </span>
                    {def ? (
                      <TypedValueInput
                        id={`${id}-change-${i}`}
                        def={def}
                        value={row.value}
                        members={members}
                        readOnly={false}
                        onChange={(value) => setRows((prev) => prev.map((r, j) => (j === i ? { ...r, value } : r)))}
                      />
                    ) : (
                      <span className="muted">(unknown field)</span>
                    )}
                    <Button size="sm" variant="ghost" onClick={() => setRows((prev) => prev.filter((_, j) => j !== i))}>
                      Remove {label}
                    </Button>
                  </div>
                )
              })}
              {unused.length ? (
                <div>
                  <label htmlFor={`${id}-add-change`} className="visually-hidden">
                    Add a changed field
                  </label>
                  <NativeSelect
                    id={`${id}-add-change`}
                    className="input--inline"
                    value=""
                    onChange={(e) => {
                      const field = e.target.value
                      if (field) setRows((prev) => [...prev, { field, value: null }])
                    }}
                  >
                    <option value="">Add a changed field…</option>
                    {unused.map((f) => (
                      <option key={f.name} value={f.name}>
                        {f.label}
                      </option>
                    ))}
                  </NativeSelect>
                </div>
              ) : null}
            </fieldset>
          ) : null}
        </>
      )}
      <div aria-live="polite">
        {run.state !== 'idle' ? <p className="muted">Running the dry run…</p> : null}
        {reply && !reply.ok ? (
          <p className="issue-note issue-note--error" role="alert">
            The dry run could not run: {reply.message}
          </p>
        ) : null}
        {reply?.ok ? <Trace result={reply.result} conditionLabel={(key) => index.content('conditions', entity, key)?.label ?? key} /> : null}
      </div>
    </section>
  )
}

function Trace({ result, conditionLabel }: { result: DryRunResult; conditionLabel: (key: string) => string }) {
  const words = traceWords(result, conditionLabel)
  return (
    <div className="dry-run__trace" data-testid="dry-run-trace">
      <p>
        <strong>{words.verdict}</strong>
      </p>
      <ul className="trace-list">
        <li className={words.trigger.ok ? 'trace-line is-ok' : 'trace-line is-not'}>
          <span aria-hidden>{words.trigger.ok ? '✓' : '✗'}</span> {words.trigger.text}
        </li>
        {words.conditions.map((c) => (
          <li key={c.key} className={c.ok ? 'trace-line is-ok' : 'trace-line is-not'}>
            <span aria-hidden>{c.ok ? '✓' : '✗'}</span> {c.text}
          </li>
        ))}
      </ul>
      {words.steps.length ? (
        <>
          <h4>{result.matched ? 'It would' : 'Had it run, it would'}</h4>
          <ol className="run-steps">
            {words.steps.map((s, i) => (
              <li key={`${s.actionKey}-${i}`}>{s.text}</li>
            ))}
          </ol>
        </>
      ) : null}
    </div>
  )
}

/**
 * Whether the entity has no record at all (the lookup's first page is empty), for the "no records"
 * state. A plain fetch, not a fetcher: a fetcher's data is reloaded after every autosave.
 */
function useHasNoRecords(entity: Entity): boolean {
  const [none, setNone] = useState(false)
  useEffect(() => {
    const controller = new AbortController()
    fetch(`/resources/lookup?${new URLSearchParams({ entity, q: '' })}`, { signal: controller.signal, headers: { Accept: 'application/json' } })
      .then((res) => (res.ok ? (res.json() as Promise<{ options: LookupOption[] }>) : null))
      .then((data) => setNone(!!data && data.options.length === 0))
      .catch(() => undefined)
    return () => controller.abort()
  }, [entity])
  return none
}

function RecentRuns({ automationKey }: { automationKey: string }) {
  const id = useId()
  const runs = useFetcher<typeof runLogLoader>()
  // fetcher.load is a new function whenever the fetcher changes state: keep the latest in a ref, or
  // an effect depending on it would load forever.
  const loadRef = useRef(runs.load)
  loadRef.current = runs.load
  const load = useCallback((url: string) => loadRef.current(url), [])
  const url = `/studio/runs?${new URLSearchParams({ index: '', automation: automationKey, limit: String(RECENT_RUNS) })}`
  useEffect(() => load(url), [url, load])
  const data = runs.data
  const logHref = `/studio/runs?${new URLSearchParams({ automation: automationKey })}`
  return (
    <section aria-labelledby={`${id}-title`} data-testid="recent-runs">
      <div className="card__head">
        <h4 id={`${id}-title`}>Recent runs</h4>
        <Button size="sm" variant="ghost" onClick={() => load(url)} disabled={runs.state !== 'idle'}>
          {runs.state === 'idle' ? 'Refresh' : 'Loading…'}
        </Button>
      </div>
      {!data ? (
        <p className="muted">Loading the runs…</p>
      ) : data.runs.length === 0 ? (
        <p className="muted">No runs yet. Runs show here once the automation is published and enabled, and its trigger fires.</p>
      ) : (
        <RunsTable runs={data.runs} titles={data.titles} automationLabels={{}} label="Recent runs" showAutomation={false} />
      )}
      <p>
        <Link to={logHref}>Open the run log for this automation</Link>
      </p>
    </section>
  )
}
