// The frame a whole-item builder (approval rule, SLA policy) sits in: the JSON toggle, focus on an
// issue's path, the item-level issues, read-only while locked or in conflict, and the condition
// (label + `when`) that both items open with. The builder itself renders only its own sections.
import { useRef, useState, type ReactNode } from 'react'
import type { ConfigIssue, Entity, ValidationResult } from '../../../server/config-language'
import type { AnyDraftItem } from './autosave'
import { ConditionBuilder } from './condition-builder'
import { IssueNotes, ItemCheck, issuesAt } from './issue-notes'
import { WithJsonToggle, useEntityFields, type PartContext } from './part-builder'
import { useFocusPath } from './use-focus-path'

type WithCondition = { label: string; when: unknown }

export type ItemBuilderProps = { draft: AnyDraftItem; issues: ValidationResult; ctx: PartContext; focus: string | null }

/** What the frame hands its builder once the draft has the builder's shape. */
export type ItemFrame<T> = {
  content: T
  onChange: (next: T) => void
  /** Every issue of the item (errors and warnings), for the sections to pick theirs from. */
  all: readonly ConfigIssue[]
  locked: boolean
  fields: ReturnType<typeof useEntityFields>['fields']
  /** The item's opening condition, with what this builder calls it. */
  condition: (opts: { conditionLabel: string; allowChange?: boolean }) => ReactNode
}

export function ItemBuilder<T extends WithCondition>({
  draft,
  issues,
  ctx,
  focus,
  entity,
  parse,
  what,
  className,
  children,
}: ItemBuilderProps & {
  entity: Entity
  /** Whether the draft's content has the structure this builder edits (else: JSON only). */
  parse: (content: unknown) => content is T
  /** The item in words, for the check line ("approval rule"). */
  what: string
  className: string
  children: (frame: ItemFrame<T>) => ReactNode
}) {
  const [advanced, setAdvanced] = useState(false)
  const container = useRef<HTMLDivElement>(null)
  const content = parse(draft.content) ? draft.content : null
  useFocusPath(container, focus, !!content && !advanced)
  const { fields, liveFields } = useEntityFields(ctx, entity)
  const all = [...issues.errors, ...issues.warnings]
  const locked = ctx.readOnly || draft.status === 'conflict'
  const onChange = (next: T) => draft.setContent(next)
  return (
    <div ref={container}>
      <WithJsonToggle
        advanced={advanced || !content}
        canBuild={!!content}
        onToggle={() => setAdvanced((a) => !a)}
        draft={draft}
        issues={issues}
        readOnly={ctx.readOnly}
        builder={
          content ? (
            <div className={`automation-parts ${className}`}>
              <IssueNotes issues={issuesAt(all, [])} />
              {children({
                content,
                onChange,
                all,
                locked,
                fields,
                condition: ({ conditionLabel, allowChange }) => (
                  <ConditionBuilder
                    content={{ label: content.label, when: content.when } as Parameters<typeof ConditionBuilder>[0]['content']}
                    onChange={(next) => onChange({ ...content, label: next.label ?? '', when: next.when })}
                    entity={entity}
                    fields={fields}
                    liveFields={liveFields}
                    index={ctx.index}
                    members={ctx.members}
                    issues={all.filter((i) => i.path[0] === 'label' || i.path[0] === 'when')}
                    readOnly={locked}
                    allowChange={allowChange}
                    conditionLabel={conditionLabel}
                  />
                ),
              })}
            </div>
          ) : null
        }
      />
      <ItemCheck issues={all} what={what} />
    </div>
  )
}
