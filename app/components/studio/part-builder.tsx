// One automation part (a trigger, a named condition or an action) in its builder, with the item's
// JSON one toggle away ("Advanced (JSON)"). Shared by the automations composer and the Triggers /
// Conditions / Actions tabs, so an item edits the same way wherever it is opened.
import { useMemo, useState } from 'react'
import { buildConfigIndex, type ConfigIndex, type ConfigItem, type Entity, type ValidationResult } from '../../../server/config-language'
import type { MemberOption } from '~/components/crm/entities'
import { Button } from '~/components/ui/button'
import { ActionBuilder, looksLikeAction } from './action-builder'
import type { AnyDraftItem } from './autosave'
import { ConditionBuilder, looksLikeCondition } from './condition-builder'
import { JsonItemEditor } from './json-item-editor'
import { TriggerBuilder, looksLikeTrigger } from './trigger-builder'

export type PartContext = {
  /** The working set (drafts with unsaved edits laid over). */
  index: ConfigIndex
  live: readonly ConfigItem[]
  members: readonly MemberOption[]
  readOnly: boolean
}

/** The entity's fields a builder offers: the working set's, plus published ones a draft removed (still valid until publish). */
export function useEntityFields(ctx: PartContext, entity: Entity) {
  const liveFields = useMemo(() => buildConfigIndex(ctx.live).fields(entity) ?? [], [ctx.live, entity])
  const fields = ctx.index.fields(entity) ?? liveFields
  return { fields, liveFields }
}

export function PartBuilder({
  namespace,
  entity,
  draft,
  issues,
  ctx,
}: {
  namespace: 'triggers' | 'conditions' | 'actions'
  entity: Entity
  draft: AnyDraftItem
  issues: ValidationResult
  ctx: PartContext
}) {
  const [advanced, setAdvanced] = useState(false)
  const { fields, liveFields } = useEntityFields(ctx, entity)
  const all = [...issues.errors, ...issues.warnings]
  const locked = ctx.readOnly || draft.status === 'conflict'
  const c: unknown = draft.content
  const builder =
    namespace === 'triggers' && looksLikeTrigger(c) ? (
      <TriggerBuilder content={c} onChange={draft.setContent} fields={fields} issues={all} readOnly={locked} />
    ) : namespace === 'conditions' && looksLikeCondition(c) ? (
      <ConditionBuilder
        content={c}
        onChange={draft.setContent}
        entity={entity}
        fields={fields}
        liveFields={liveFields}
        index={ctx.index}
        members={ctx.members}
        issues={all}
        readOnly={locked}
      />
    ) : namespace === 'actions' && looksLikeAction(c) ? (
      <ActionBuilder
        content={c}
        onChange={draft.setContent}
        entity={entity}
        fields={fields}
        index={ctx.index}
        members={ctx.members}
        issues={all}
        readOnly={locked}
      />
    ) : null
  return (
    <WithJsonToggle
      advanced={advanced || !builder}
      canBuild={!!builder}
      onToggle={() => setAdvanced((a) => !a)}
      draft={draft}
      issues={issues}
      readOnly={ctx.readOnly}
      builder={builder}
    />
  )
}

/** A builder, or the item's JSON when asked for ("Advanced (JSON)") or when the draft has a shape the builder does not understand. */
export function WithJsonToggle({
  advanced,
  canBuild,
  onToggle,
  draft,
  issues,
  readOnly,
  builder,
}: {
  advanced: boolean
  canBuild: boolean
  onToggle: () => void
  draft: AnyDraftItem
  issues: ValidationResult
  readOnly: boolean
  builder: React.ReactNode
}) {
  return (
    <div className="part-builder">
      <div className="part-builder__mode">
        {canBuild ? (
          <Button size="sm" variant="ghost" aria-pressed={advanced} onClick={onToggle}>
            {advanced ? 'Back to the builder' : 'Advanced (JSON)'}
          </Button>
        ) : (
          <span className="muted">Shown as JSON: this draft does not have the structure the builder edits.</span>
        )}
      </div>
      {advanced ? <JsonItemEditor draft={draft} readOnly={readOnly} issues={issues} /> : builder}
    </div>
  )
}
