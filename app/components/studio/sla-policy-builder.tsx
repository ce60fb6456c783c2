// The SLA policy builder (sla/case/<key>): its name and which cases it covers (the condition
// builder, without change operators: a policy matches a case as it is), first-response and
// resolution targets typed as hours and minutes (stored as business minutes), business hours
// (days, opening times, time zone) or around the clock, when to warn, and a live preview of when a
// case opened now would be due, computed in the browser with the server clock's arithmetic.
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { type BusinessHours, type ConfigIssue, type SlaContent } from '../../../server/config-language'
import { Input, NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { formatRun, timeZoneChoices } from './cron-preview'
import { IssueNotes, issuesAt, issuesUnder } from './issue-notes'
import { ItemBuilder, type ItemBuilderProps } from './item-builder'
import {
  WEEKDAYS,
  defaultBusinessHours,
  describeDays,
  formatMinutes,
  joinMinutes,
  parseTimeInput,
  previewDueTimes,
  splitMinutes,
  toggleDay,
} from './sla-targets'

export function looksLikeSlaPolicy(c: unknown): c is SlaContent {
  const p = c as Partial<SlaContent> | null
  const hours = p?.businessHours as Partial<BusinessHours> | null | undefined
  return (
    !!p &&
    typeof p === 'object' &&
    typeof p.label === 'string' &&
    !!p.when &&
    typeof p.when === 'object' &&
    typeof p.firstResponseMinutes === 'number' &&
    typeof p.resolutionMinutes === 'number' &&
    typeof p.warnAtPercent === 'number' &&
    (hours === null ||
      (!!hours &&
        typeof hours === 'object' &&
        typeof hours.timeZone === 'string' &&
        Array.isArray(hours.days) &&
        typeof hours.start === 'string' &&
        typeof hours.end === 'string'))
  )
}

export function SlaPolicyBuilder(props: ItemBuilderProps) {
  return (
    <ItemBuilder {...props} entity="case" parse={looksLikeSlaPolicy} what="SLA policy" className="sla-builder">
      {({ content, onChange, all, locked, condition }) => (
        <>
          {condition({ conditionLabel: 'Case condition', allowChange: false })}
          <p className="muted">When several policies match a case, the strictest applies (shortest resolution, then first response).</p>
          <section className="automation-step" aria-label="Targets">
            <h3 className="automation-step__title">Targets</h3>
            <div className="sla-targets">
              <TargetInput
                legend="First response within"
                path="firstResponseMinutes"
                minutes={content.firstResponseMinutes}
                onChange={(firstResponseMinutes) => onChange({ ...content, firstResponseMinutes })}
                issues={all}
                readOnly={locked}
              />
              <TargetInput
                legend="Resolution within"
                path="resolutionMinutes"
                minutes={content.resolutionMinutes}
                onChange={(resolutionMinutes) => onChange({ ...content, resolutionMinutes })}
                issues={all}
                readOnly={locked}
              />
              <WarnInput percent={content.warnAtPercent} onChange={(warnAtPercent) => onChange({ ...content, warnAtPercent })} issues={all} readOnly={locked} />
            </div>
          </section>
          <BusinessHoursEditor
            hours={content.businessHours}
            onChange={(businessHours) => onChange({ ...content, businessHours })}
            issues={all}
            readOnly={locked}
          />
          <DuePreviewPanel policy={content} />
        </>
      )}
    </ItemBuilder>
  )
}

/**
 * Local text for inputs whose every keystroke is not yet a valid value ("", "1.", "75 "): the
 * policy changes only when the text means something, and a change from outside (reload, discard,
 * the JSON editor) replaces the text.
 */
function useCommittedText<T>(value: T, toText: (v: T) => string[]) {
  const [text, setText] = useState(() => toText(value))
  const emitted = useRef(JSON.stringify(value))
  const toTextRef = useRef(toText)
  toTextRef.current = toText
  useEffect(() => {
    const incoming = JSON.stringify(value)
    if (incoming !== emitted.current) {
      emitted.current = incoming
      setText(toTextRef.current(value))
    }
  }, [value])
  const commit = (v: T) => {
    emitted.current = JSON.stringify(v)
  }
  return { text, setText, commit }
}

function TargetInput({
  legend,
  path,
  minutes,
  onChange,
  issues,
  readOnly,
}: {
  legend: string
  path: 'firstResponseMinutes' | 'resolutionMinutes'
  minutes: number
  onChange: (minutes: number) => void
  issues: readonly ConfigIssue[]
  readOnly: boolean
}) {
  const id = useId()
  const { text, setText, commit } = useCommittedText(minutes, (m) => {
    const s = splitMinutes(m)
    return [String(s.hours), String(s.minutes)]
  })
  const parsed = joinMinutes(text[0]!, text[1]!)
  const edit = (i: 0 | 1, v: string) => {
    const next = i === 0 ? [v, text[1]!] : [text[0]!, v]
    setText(next)
    const joined = joinMinutes(next[0]!, next[1]!)
    if (joined.ok && joined.minutes !== minutes) {
      commit(joined.minutes)
      onChange(joined.minutes)
    }
  }
  return (
    <fieldset className="field sla-target" data-config-path={path} aria-describedby={`${id}-hint`}>
      <legend className="label">{legend}</legend>
      <div className="sla-target__inputs">
        <Input
          id={`${id}-h`}
          type="number"
          inputMode="numeric"
          min={0}
          max={8760}
          step={1}
          className="input--inline sla-target__number"
          value={text[0]}
          readOnly={readOnly}
          aria-invalid={parsed.ok ? undefined : true}
          onChange={(e) => edit(0, e.target.value)}
        />
        <Label htmlFor={`${id}-h`}>hours</Label>
        <Input
          id={`${id}-m`}
          type="number"
          inputMode="numeric"
          min={0}
          max={59}
          step={1}
          className="input--inline sla-target__number"
          value={text[1]}
          readOnly={readOnly}
          aria-invalid={parsed.ok ? undefined : true}
          onChange={(e) => edit(1, e.target.value)}
        />
        <Label htmlFor={`${id}-m`}>minutes</Label>
      </div>
      <p id={`${id}-hint`} className="field__hint">
        {parsed.ok ? `${formatMinutes(parsed.minutes)} of business time.` : null}
      </p>
      {parsed.ok ? null : <p className="field__error">{parsed.problem} (not saved until it is)</p>}
      <IssueNotes issues={issuesUnder(issues, [path])} />
    </fieldset>
  )
}

function WarnInput({
  percent,
  onChange,
  issues,
  readOnly,
}: {
  percent: number
  onChange: (p: number) => void
  issues: readonly ConfigIssue[]
  readOnly: boolean
}) {
  const id = useId()
  const { text, setText, commit } = useCommittedText(percent, (p) => [String(p)])
  const value = Number(text[0])
  const ok = text[0]!.trim() !== '' && Number.isInteger(value) && value >= 1 && value <= 99
  return (
    <div className="field" data-config-path="warnAtPercent">
      <Label htmlFor={`${id}-warn`}>Warn at (% of the target)</Label>
      <Input
        id={`${id}-warn`}
        type="number"
        inputMode="numeric"
        min={1}
        max={99}
        step={1}
        value={text[0]}
        readOnly={readOnly}
        aria-invalid={ok ? undefined : true}
        onChange={(e) => {
          const t = e.target.value
          setText([t])
          const n = Number(t)
          if (t.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= 99 && n !== percent) {
            commit(n)
            onChange(n)
          }
        }}
      />
      <p className="field__hint">The case turns “at risk” and the SLA warning fires when this share of a target has passed.</p>
      {ok ? null : <p className="field__error">A whole number from 1 to 99 (not saved until it is)</p>}
      <IssueNotes issues={issuesUnder(issues, ['warnAtPercent'])} />
    </div>
  )
}

/** The browser's own zone, the natural start for someone turning business hours on. */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone

function BusinessHoursEditor({
  hours,
  onChange,
  issues,
  readOnly,
}: {
  hours: BusinessHours | null
  onChange: (h: BusinessHours | null) => void
  issues: readonly ConfigIssue[]
  readOnly: boolean
}) {
  const id = useId()
  const zones = useMemo(() => timeZoneChoices(), [])
  // Times are kept as typed until they are whole (a time input clears while being edited).
  const [times, setTimes] = useState(() => ({ start: hours?.start ?? '09:00', end: hours?.end ?? '17:00' }))
  useEffect(() => {
    if (hours) setTimes((t) => (parseTimeInput(t.start) === hours.start && parseTimeInput(t.end) === hours.end ? t : { start: hours.start, end: hours.end }))
  }, [hours])
  const setTime = (which: 'start' | 'end', value: string) => {
    setTimes((t) => ({ ...t, [which]: value }))
    const hhmm = parseTimeInput(value)
    if (hours && hhmm && hhmm !== hours[which]) onChange({ ...hours, [which]: hhmm })
  }
  return (
    <section className="automation-step" aria-labelledby={`${id}-title`} data-config-path="businessHours">
      <h3 id={`${id}-title`} className="automation-step__title">
        Clock
      </h3>
      <fieldset className="role-checks">
        <legend className="visually-hidden">When the clock runs</legend>
        <label className="check">
          <input type="radio" name={`${id}-mode`} disabled={readOnly} checked={hours === null} onChange={() => onChange(null)} />
          Around the clock
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-mode`}
            disabled={readOnly}
            checked={hours !== null}
            onChange={() => {
              const next = defaultBusinessHours(browserZone())
              setTimes({ start: next.start, end: next.end })
              onChange(next)
            }}
          />
          Business hours only
        </label>
      </fieldset>
      <IssueNotes issues={issuesAt(issues, ['businessHours'])} />
      {hours ? (
        <div className="sla-hours">
          <fieldset className="role-checks" data-config-path="businessHours.days">
            <legend className="label">Open on</legend>
            {WEEKDAYS.map((w) => (
              <label key={w.day} className="check">
                <input
                  type="checkbox"
                  disabled={readOnly}
                  checked={hours.days.includes(w.day)}
                  onChange={(e) => onChange({ ...hours, days: toggleDay(hours.days, w.day, e.target.checked) })}
                />
                <span aria-hidden="true">{w.short}</span>
                <span className="visually-hidden">{w.long}</span>
              </label>
            ))}
            <IssueNotes issues={issuesUnder(issues, ['businessHours', 'days'])} />
          </fieldset>
          <div className="form-grid">
            <div className="field" data-config-path="businessHours.start">
              <Label htmlFor={`${id}-start`}>Opens at</Label>
              <Input id={`${id}-start`} type="time" value={times.start} readOnly={readOnly} onChange={(e) => setTime('start', e.target.value)} />
              <IssueNotes issues={issuesUnder(issues, ['businessHours', 'start'])} />
            </div>
            <div className="field" data-config-path="businessHours.end">
              <Label htmlFor={`${id}-end`}>Closes at</Label>
              <Input id={`${id}-end`} type="time" value={times.end} readOnly={readOnly} onChange={(e) => setTime('end', e.target.value)} />
              <IssueNotes issues={issuesUnder(issues, ['businessHours', 'end'])} />
            </div>
            <div className="field" data-config-path="businessHours.timeZone">
              <Label htmlFor={`${id}-zone`}>Time zone</Label>
              <NativeSelect id={`${id}-zone`} value={hours.timeZone} disabled={readOnly} onChange={(e) => onChange({ ...hours, timeZone: e.target.value })}>
                {zones.includes(hours.timeZone) ? null : <option value={hours.timeZone}>{hours.timeZone}</option>}
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z.replace(/_/g, ' ')}
                  </option>
                ))}
              </NativeSelect>
              <IssueNotes issues={issuesUnder(issues, ['businessHours', 'timeZone'])} />
            </div>
          </div>
          <p className="muted">
            Counts {describeDays(hours.days) || 'no days'}, {hours.start}–{hours.end} ({hours.timeZone.replace(/_/g, ' ')}); the clock stops outside these
            hours.
          </p>
        </div>
      ) : (
        <p className="muted">Every minute counts, nights and weekends included.</p>
      )}
    </section>
  )
}

const PREVIEW_TICK_MS = 30_000

/** "A case opened now would be due …": the policy's due and warning times from this minute on. */
function DuePreviewPanel({ policy }: { policy: SlaContent }) {
  // Set after hydration: the server's "now" and zone are not the reader's.
  const [now, setNow] = useState<Date | null>(null)
  useEffect(() => {
    setNow(new Date())
    const timer = setInterval(() => setNow(new Date()), PREVIEW_TICK_MS)
    return () => clearInterval(timer)
  }, [])
  const zone = policy.businessHours?.timeZone ?? (now ? browserZone() : 'UTC')
  const preview = useMemo(() => (now ? previewDueTimes(policy, now) : null), [policy, now])
  const at = (d: Date) => formatRun(d, zone)
  return (
    <section className="automation-step sla-preview" aria-label="Due times preview" data-testid="sla-preview">
      <h3 className="automation-step__title">A case opened now would be due</h3>
      <div aria-live="polite">
        {!preview ? (
          <p className="muted">Working it out…</p>
        ) : preview.ok ? (
          <dl className="run-facts">
            <dt>First response</dt>
            <dd>
              {at(preview.firstResponseDue)} <span className="muted">(warning {at(preview.firstResponseWarn)})</span>
            </dd>
            <dt>Resolution</dt>
            <dd>
              {at(preview.resolutionDue)} <span className="muted">(warning {at(preview.resolutionWarn)})</span>
            </dd>
          </dl>
        ) : (
          <p className="field__error">No preview yet: {preview.problem}.</p>
        )}
        {preview?.ok ? <p className="muted">Times in {zone.replace(/_/g, ' ')}.</p> : null}
      </div>
    </section>
  )
}
