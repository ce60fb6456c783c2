// The condition builder: a named condition (conditions/<entity>/<key>) — its name and its
// all/any/not tree, edited with the view builder's ConditionEditor (change operators allowed, people
// picked by name) — and a live count of the records it matches now. Approval rules and SLA policies
// reuse it for their name and `when`.
import { useFetcher } from '@remix-run/react'
import { useEffect, useId, useMemo } from 'react'
import type { Condition, ConditionContent, ConfigIndex, ConfigIssue, Entity, FieldDef, ViewContent } from '../../../server/config-language'
import { ENTITY_META, recordTitle, type MemberOption } from '~/components/crm/entities'
import { Alert } from '~/components/ui/alert'
import { Input } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { ConditionEditor } from './condition-editor'
import { inlineRefs, withoutChangeOperators } from './condition-tree'
import { IssueNotes, issuesAt, issuesUnder } from './issue-notes'
import { VIEW_PREVIEW_PATH, type ViewPreviewData } from './preview-types'
import { previewableView } from './view-preview'

export function looksLikeCondition(c: unknown): c is ConditionContent {
  const when = (c as { when?: unknown } | null)?.when
  return !!when && typeof when === 'object'
}

export function ConditionBuilder({
  content,
  onChange,
  entity,
  fields,
  liveFields,
  index,
  members,
  issues,
  readOnly,
  allowChange = true,
  conditionLabel = 'Condition',
}: {
  content: ConditionContent
  onChange: (next: ConditionContent) => void
  entity: Entity
  fields: readonly FieldDef[]
  liveFields: readonly FieldDef[]
  index: ConfigIndex
  members: readonly MemberOption[]
  issues: readonly ConfigIssue[]
  readOnly: boolean
  /** changed/changedTo/changedFrom: offered where a before and after exist (automations, approvals; not SLA policies). */
  allowChange?: boolean
  /** What the tree is called here ("Condition", "Approval condition"). */
  conditionLabel?: string
}) {
  const id = useId()
  return (
    <div className="condition-builder">
      <IssueNotes issues={issuesAt(issues, [])} />
      <div className="field" data-config-path="label">
        <Label htmlFor={`${id}-label`}>Name</Label>
        <Input
          id={`${id}-label`}
          value={content.label ?? ''}
          maxLength={100}
          readOnly={readOnly}
          onChange={(e) => {
            const { label: _old, ...rest } = content
            onChange(e.target.value ? { ...rest, label: e.target.value } : rest)
          }}
        />
        <IssueNotes issues={issuesUnder(issues, ['label'])} />
      </div>
      <div data-config-path="when">
        <ConditionEditor
          value={content.when}
          onChange={(when) => onChange({ ...content, when: when ?? { all: [] } })}
          fields={fields}
          basePath={['when']}
          issues={issues}
          readOnly={readOnly}
          allowChange={allowChange}
          members={members}
          label={conditionLabel}
        />
      </div>
      <ConditionPreview entity={entity} condition={content.when} index={index} liveFields={liveFields} />
    </div>
  )
}

/** The tree run as a view filter on the tenant's records (the view builder's preview endpoint). */
function ConditionPreview({
  entity,
  condition,
  index,
  liveFields,
}: {
  entity: Entity
  condition: Condition
  index: ConfigIndex
  liveFields: readonly FieldDef[]
}) {
  const matching = useFetcher<ViewPreviewData>()
  const everything = useFetcher<ViewPreviewData>()
  const { filter, omitted, skipped } = useMemo(() => {
    const inlined = inlineRefs(condition, index.conditions(entity))
    const stripped = inlined ? withoutChangeOperators(inlined) : { condition: null, omitted: [] }
    const view: ViewContent = { label: 'Preview', columns: [{ field: ENTITY_META[entity].titleField }], sort: [], pageSize: 5 }
    if (stripped.condition) view.filter = stripped.condition
    const pruned = previewableView(view, liveFields)
    return { filter: pruned.view, omitted: stripped.omitted, skipped: pruned.skipped }
  }, [condition, index, entity, liveFields])
  const query = JSON.stringify(filter)
  useEffect(() => {
    const timer = setTimeout(() => matching.load(`${VIEW_PREVIEW_PATH}?${new URLSearchParams({ entity, view: query })}`), 400)
    return () => clearTimeout(timer)
    // fetcher.load is stable enough; re-running on fetcher identity would loop.
  }, [entity, query])
  useEffect(() => {
    const all: ViewContent = { label: 'Preview', columns: [{ field: ENTITY_META[entity].titleField }], sort: [], pageSize: 1 }
    everything.load(`${VIEW_PREVIEW_PATH}?${new URLSearchParams({ entity, view: JSON.stringify(all) })}`)
  }, [entity])
  const m = matching.data
  const total = everything.data?.ok ? everything.data.total : null
  const plural = ENTITY_META[entity].plural.toLowerCase()
  return (
    <section className="condition-preview" aria-label="Matching records" data-testid="condition-preview">
      <p aria-live="polite">
        {matching.state !== 'idle' || !m
          ? 'Counting…'
          : m.ok
            ? `Matches ${m.total} of ${total ?? '…'} ${plural} now`
            : `The preview could not run this condition: ${m.message}`}
      </p>
      {omitted.length ? (
        <Alert tone="info">
          Rows on a change ({omitted.map((f) => index.field(entity, f)?.label ?? f).join(', ')}) need a before and after, so the count leaves them out; they are
          checked when a record changes.
        </Alert>
      ) : null}
      {skipped.length ? <p className="muted">Not yet published, so left out of the count: {skipped.join(', ')}.</p> : null}
      {m?.ok && m.rows.length ? (
        <ul className="condition-preview__rows">
          {m.rows.map((r) => (
            <li key={r.id}>{recordTitle(entity, r)}</li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
