// The trigger builder: when an automation runs. The event in words, the fields an update trigger
// watches (the entity's published and draft fields), and for schedules the cron expression, its time
// zone and the next five runs computed in the browser.
import { useId, useMemo } from 'react'
import { TRIGGER_EVENTS, type ConfigIssue, type FieldDef, type TriggerContent, type TriggerEvent } from '../../../server/config-language'
import { Input, NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { TRIGGER_EVENT_LABELS } from './automation-words'
import { formatRun, nextCronRuns, timeZoneChoices } from './cron-preview'
import { IssueNotes, issuesAt, issuesUnder } from './issue-notes'

export function looksLikeTrigger(c: unknown): c is TriggerContent {
  return !!c && typeof c === 'object' && (TRIGGER_EVENTS as readonly unknown[]).includes((c as { event?: unknown }).event)
}

/** Switching the event keeps only the settings the new event takes. */
export function withEvent(t: TriggerContent, event: TriggerEvent): TriggerContent {
  if (event === 'schedule') return { event, cron: t.cron ?? '0 9 * * 1-5', timeZone: t.timeZone ?? 'UTC' }
  if (event === 'record.updated') return t.fields ? { event, fields: t.fields } : { event }
  return { event }
}

export function TriggerBuilder({
  content,
  onChange,
  fields,
  issues,
  readOnly,
  basePath = [],
}: {
  content: TriggerContent
  onChange: (next: TriggerContent) => void
  fields: readonly FieldDef[]
  issues: readonly ConfigIssue[]
  readOnly: boolean
  /** Where the trigger's paths are shown (data-config-path prefix). */
  basePath?: string[]
}) {
  const id = useId()
  const at = (p: string) => [...basePath, p].join('.')
  const watched = content.fields ?? []
  const setFields = (next: string[]) => {
    const t: TriggerContent = { ...content, fields: next }
    if (next.length === 0) delete t.fields
    onChange(t)
  }
  return (
    <div className="trigger-builder">
      <IssueNotes issues={issuesAt(issues, [])} />
      <div className="field" data-config-path={at('event')}>
        <Label htmlFor={`${id}-event`}>When</Label>
        <NativeSelect
          id={`${id}-event`}
          value={content.event}
          disabled={readOnly}
          onChange={(e) => onChange(withEvent(content, e.target.value as TriggerEvent))}
        >
          {TRIGGER_EVENTS.map((ev) => (
            <option key={ev} value={ev}>
              {TRIGGER_EVENT_LABELS[ev]}
            </option>
          ))}
        </NativeSelect>
        <IssueNotes issues={issuesUnder(issues, ['event'])} />
      </div>
      {content.event === 'record.updated' ? (
        <fieldset className="role-checks trigger-builder__fields" data-config-path={at('fields')}>
          <legend className="label">Only when one of these fields changes</legend>
          <p className="muted">None ticked: any change.</p>
          {watched
            .filter((name) => !fields.some((f) => f.name === name))
            .map((name) => (
              <label key={name} className="check">
                <input type="checkbox" checked disabled={readOnly} onChange={() => setFields(watched.filter((w) => w !== name))} />
                {name} (unknown field)
              </label>
            ))}
          {fields.map((f) => (
            <label key={f.name} className="check">
              <input
                type="checkbox"
                disabled={readOnly}
                checked={watched.includes(f.name)}
                onChange={(e) => setFields(e.target.checked ? [...watched, f.name] : watched.filter((w) => w !== f.name))}
              />
              {f.label}
            </label>
          ))}
          <IssueNotes issues={issuesUnder(issues, ['fields'])} />
        </fieldset>
      ) : null}
      {content.event === 'schedule' ? <ScheduleFields id={id} content={content} onChange={onChange} issues={issues} readOnly={readOnly} at={at} /> : null}
    </div>
  )
}

function ScheduleFields({
  id,
  content,
  onChange,
  issues,
  readOnly,
  at,
}: {
  id: string
  content: TriggerContent
  onChange: (next: TriggerContent) => void
  issues: readonly ConfigIssue[]
  readOnly: boolean
  at: (p: string) => string
}) {
  const zone = content.timeZone ?? 'UTC'
  const cron = content.cron ?? ''
  const zones = useMemo(() => timeZoneChoices(), [])
  const preview = useMemo(() => nextCronRuns(cron, zone), [cron, zone])
  return (
    <div className="form-grid">
      <div className="field" data-config-path={at('cron')}>
        <Label htmlFor={`${id}-cron`}>Schedule (cron)</Label>
        <Input
          id={`${id}-cron`}
          className="code-input"
          value={cron}
          readOnly={readOnly}
          spellCheck={false}
          placeholder="minute hour day month weekday"
          aria-describedby={`${id}-runs`}
          onChange={(e) => onChange({ ...content, cron: e.target.value })}
        />
        <p className="field__hint">Five fields: minute, hour, day of month, month, day of week (0 = Sunday). E.g. 0 9 * * 1-5 is weekdays at 09:00.</p>
        <IssueNotes issues={issuesUnder(issues, ['cron'])} />
      </div>
      <div className="field" data-config-path={at('timeZone')}>
        <Label htmlFor={`${id}-zone`}>Time zone</Label>
        <NativeSelect id={`${id}-zone`} value={zone} disabled={readOnly} onChange={(e) => onChange({ ...content, timeZone: e.target.value })}>
          {zones.includes(zone) ? null : <option value={zone}>{zone}</option>}
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, ' ')}
            </option>
          ))}
        </NativeSelect>
        <IssueNotes issues={issuesUnder(issues, ['timeZone'])} />
      </div>
      <div id={`${id}-runs`} className="cron-preview" aria-live="polite" data-testid="cron-preview">
        {preview.ok ? (
          <>
            <p className="label">Next runs ({zone.replace(/_/g, ' ')})</p>
            <ol className="cron-preview__runs">
              {preview.runs.map((r) => (
                <li key={r.getTime()}>{formatRun(r, zone)}</li>
              ))}
            </ol>
          </>
        ) : (
          <p className="field__error">Not a schedule yet: {preview.problem}</p>
        )}
      </div>
    </div>
  )
}
