// The automations composer, the main view of /studio/automations: every automation in run order
// (drag to reorder, which writes `order`; enable/disable in place), and the selected one composed
// from its trigger, its conditions and its ordered actions, each part edited inline in its builder
// (pick an existing part or create one). Every item is its own draft, autosaved through the one
// draft endpoint; validation is validateItem on the working set, the same checks as publish.
import { Link } from '@remix-run/react'
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import {
  ENTITIES,
  NO_ENTITY,
  buildConfigIndex,
  formatAddress,
  parseAddress,
  type AutomationContent,
  type ConfigIndex,
  type ConfigItem,
  type Entity,
  type ValidationResult,
} from '../../../server/config-language'
import { ENTITY_META, type MemberOption } from '~/components/crm/entities'
import { Button } from '~/components/ui/button'
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import { Dialog, DialogContent } from '~/components/ui/dialog'
import { Field } from '~/components/ui/field'
import { Input, NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { cn } from '~/utils/cn'
import type { StudioListItem } from '~/utils/studio.server'
import { newAction } from './action-builder'
import { useDraftItem, useStartFromTemplate, type AnyDraftItem, type DraftItem, type ItemRef } from './autosave'
import { AutomationRunsPanel } from './automation-runs-panel'
import { describeAction, describeTrigger } from './automation-words'
import { freeKey } from './condition-tree'
import { DiscardDraftButton } from './discard-draft-button'
import { DraftProblems, DraftStatus, StateBadge } from './draft-status'
import { loadedOf } from './form-builder'
import { IssueNotes, isWarning, issuesUnder } from './issue-notes'
import { PartBuilder, WithJsonToggle, type PartContext } from './part-builder'
import { SortableList, moveItem } from './sortable-list'
import { ItemBar } from './studio-chrome'
import { formatPath } from './studio-links'
import { useFocusPath } from './use-focus-path'
import { useItemValidation } from './working-set'

type Props = {
  selected: string | null
  focus: string | null
  items: StudioListItem[]
  drafts: ConfigItem[]
  live: ConfigItem[]
  readOnly: boolean
  members: MemberOption[]
  href: (params: Record<string, string>) => string
  onNavigate: (to: string) => void
}

const NO_ISSUES: ValidationResult = { errors: [], warnings: [] }

export function looksLikeAutomation(c: unknown): c is AutomationContent {
  const a = c as Partial<AutomationContent> | null
  return (
    !!a &&
    typeof a.label === 'string' &&
    typeof a.entity === 'string' &&
    (ENTITIES as readonly string[]).includes(a.entity) &&
    typeof a.trigger === 'string' &&
    Array.isArray(a.conditions) &&
    Array.isArray(a.actions) &&
    typeof a.enabled === 'boolean' &&
    typeof a.order === 'number'
  )
}

// ---------------------------------------------------------------------------------------------
// Draft hosting: useDraftItem is a hook, and the composer edits a changing set of items (every
// automation for the list, the selected one's parts). Each item gets a render-less slot component
// that owns its hook and hands the draft up, so list and editor share one draft per item.

function DraftSlot({
  item,
  loaded,
  readOnly,
  template,
  onDraft,
}: {
  item: ItemRef
  loaded: ReturnType<typeof loadedOf>
  readOnly: boolean
  template: unknown
  onDraft: (address: string, draft: AnyDraftItem | null) => void
}) {
  const address = formatAddress(item.namespace, item.entity, item.key)
  const draft = useDraftItem<unknown>({ item, loaded, readOnly, label: address })
  useStartFromTemplate(draft, template === undefined ? null : () => template, readOnly)
  // Before paint: a controlled input edited through this draft must see its new value in the same
  // event, or React puts the old one back for a frame (a checkbox would flicker off).
  useIsomorphicLayoutEffect(() => onDraft(address, draft), [address, draft, onDraft])
  useEffect(() => () => onDraft(address, null), [address, onDraft])
  return null
}

const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect

export function AutomationComposer(props: Props) {
  const { items, drafts, live, readOnly } = props
  const [slots, setSlots] = useState<ReadonlyMap<string, AnyDraftItem>>(new Map())
  const onDraft = useCallback((address: string, draft: AnyDraftItem | null) => {
    setSlots((prev) => {
      if (prev.get(address) === draft) return prev
      const next = new Map(prev)
      if (draft) next.set(address, draft)
      else next.delete(address)
      return next
    })
  }, [])
  // Items created in this page: their template until their first save lands.
  const [templates, setTemplates] = useState<ReadonlyMap<string, unknown>>(new Map())
  const create = (address: string, content: unknown) => setTemplates((prev) => new Map(prev).set(address, content))

  const contentOf = (address: string): unknown => {
    const slot = slots.get(address)
    if (slot) return slot.state === 'deleted' ? null : slot.content
    if (templates.has(address)) return templates.get(address)
    return drafts.find((d) => formatAddress(d.namespace, d.entity, d.key) === address)?.content ?? null
  }

  // The automations, in run order.
  const automationAddresses = [
    ...new Set([
      ...items.filter((i) => i.namespace === 'automations').map((i) => i.address),
      ...[...templates.keys()].filter((a) => a.startsWith('automations/')),
    ]),
  ]
  const automations = automationAddresses
    .map((address) => ({ address, key: parseAddress(address)!.key, content: contentOf(address) }))
    .filter((a) => a.content !== null)
    .sort((a, b) => orderOf(a.content) - orderOf(b.content) || a.key.localeCompare(b.key))
  const selected = props.selected && automationAddresses.includes(props.selected) ? props.selected : null
  const selectedContent = selected ? contentOf(selected) : null
  const composed = looksLikeAutomation(selectedContent) ? selectedContent : null

  // Every item hosted so far stays hosted, so an edit in a part never dies with a re-pick.
  const needed = [...automationAddresses, ...templates.keys(), ...(composed ? partAddresses(composed) : [])]
  const [kept, setKept] = useState<readonly string[]>([])
  const hosted = [...new Set([...kept, ...needed])]
  const hostedKey = hosted.join(' ')
  useEffect(() => {
    setKept((prev) => (prev.join(' ') === hostedKey ? prev : hostedKey.split(' ').filter(Boolean)))
  }, [hostedKey])

  // Validation: every hosted item's working content laid over the drafts.
  const overrides = useMemo(
    () => [...slots.entries()].map(([address, d]) => ({ item: parseAddress(address)!, content: d.state === 'deleted' ? null : d.content })),
    [slots],
  )
  const { set, issues } = useItemValidation(drafts, live, overrides)
  const index = useMemo(() => buildConfigIndex(set), [set])
  const ctx: PartContext = { index, live, members: props.members, readOnly }

  const takenKeys = (namespace: string, entity: string) =>
    new Set(
      [...items.map((i) => i.address), ...templates.keys()]
        .map((a) => parseAddress(a))
        .filter((p) => p && p.namespace === namespace && p.entity === entity)
        .map((p) => p!.key),
    )

  const reorder = (from: number, to: number) => {
    const moved = moveItem(automations, from, to)
    moved.forEach((a, i) => {
      const order = (i + 1) * 10
      const slot = slots.get(a.address) as DraftItem<AutomationContent> | undefined
      if (slot && looksLikeAutomation(slot.content) && slot.content.order !== order) slot.setContent((c) => ({ ...c, order }))
    })
  }

  const [creating, setCreating] = useState(false)
  const newAutomation = (label: string, key: string, entity: Entity) => {
    const triggerKey = freeKey(`${key}-when`, takenKeys('triggers', entity))
    create(formatAddress('triggers', entity, triggerKey), { event: 'record.created' })
    const order = Math.max(0, ...automations.map((a) => orderOf(a.content))) + 10
    const address = formatAddress('automations', NO_ENTITY, key)
    create(address, { label, entity, trigger: triggerKey, conditions: [], actions: [], enabled: false, order } satisfies AutomationContent)
    props.onNavigate(props.href({ item: address }))
  }

  return (
    <>
      {hosted.map((address) => (
        <DraftSlot
          key={address}
          item={parseAddress(address)!}
          loaded={loadedOf(items, drafts, address)}
          readOnly={readOnly}
          template={templates.get(address)}
          onDraft={onDraft}
        />
      ))}
      <div className="items-layout automations-layout">
        <section className="card items-layout__list" aria-labelledby="automations-title">
          <div className="card__body">
            <div className="card__head">
              <h2 id="automations-title" className="card__title">
                In run order
              </h2>
              {readOnly ? null : (
                <Button size="sm" onClick={() => setCreating(true)}>
                  New automation
                </Button>
              )}
            </div>
            <SortableList
              items={automations}
              label="Automations"
              getKey={(a) => a.address}
              getLabel={(a) => (looksLikeAutomation(a.content) ? a.content.label : a.key)}
              readOnly={readOnly}
              onMove={reorder}
              empty={<p className="muted">No automations yet.</p>}
              renderItem={(a) => {
                const c = looksLikeAutomation(a.content) ? a.content : null
                const result = issues.get(a.address) ?? NO_ISSUES
                const slot = slots.get(a.address) as DraftItem<AutomationContent> | undefined
                return (
                  <div className={cn('automation-row', a.address === selected && 'is-active')}>
                    <Link to={props.href({ item: a.address })} className="automation-row__link" aria-current={a.address === selected ? 'true' : undefined}>
                      <span className="automation-row__label">{c?.label ?? a.key}</span>
                      <span className="item-list__summary">
                        {c
                          ? `${ENTITY_META[c.entity].plural}: ${describeTrigger(index.content('triggers', c.entity, c.trigger), c.entity, index)}`
                          : 'Unfinished'}
                      </span>
                    </Link>
                    {result.errors.length ? <span className="badge badge--danger">{result.errors.length} to fix</span> : null}
                    <label className="check automation-row__enabled">
                      <input
                        type="checkbox"
                        disabled={readOnly || !slot || !c}
                        checked={c?.enabled ?? false}
                        onChange={(e) => slot?.setContent((prev) => ({ ...prev, enabled: e.target.checked }))}
                      />
                      <span className="visually-hidden">{c?.label ?? a.key}: </span>Enabled
                    </label>
                  </div>
                )
              }}
            />
          </div>
        </section>
        <div className="items-layout__editor">
          {selected ? (
            <AutomationEditor
              key={selected}
              address={selected}
              draft={slots.get(selected) as DraftItem<AutomationContent> | undefined}
              slots={slots}
              issues={issues}
              ctx={ctx}
              focus={props.focus}
              takenKeys={takenKeys}
              create={create}
              onGone={() => props.onNavigate(props.href({}))}
            />
          ) : (
            <div className="empty-state">
              <h2 className="empty-state__title">Pick an automation</h2>
              <p className="empty-state__text">Choose one on the left to see and change it{readOnly ? '' : ', or create a new one'}.</p>
            </div>
          )}
        </div>
      </div>
      <NewAutomationDialog open={creating} onOpenChange={setCreating} taken={takenKeys('automations', NO_ENTITY)} onCreate={newAutomation} />
    </>
  )
}

const orderOf = (c: unknown) => (looksLikeAutomation(c) ? c.order : Number.MAX_SAFE_INTEGER)

function partAddresses(a: AutomationContent): string[] {
  return [
    formatAddress('triggers', a.entity, a.trigger),
    ...a.conditions.map((k) => formatAddress('conditions', a.entity, k)),
    ...a.actions.map((k) => formatAddress('actions', a.entity, k)),
  ]
}

function AutomationEditor({
  address,
  draft,
  slots,
  issues,
  ctx,
  focus,
  takenKeys,
  create,
  onGone,
}: {
  address: string
  draft: DraftItem<AutomationContent> | undefined
  slots: ReadonlyMap<string, AnyDraftItem>
  issues: Map<string, ValidationResult>
  ctx: PartContext
  focus: string | null
  takenKeys: (namespace: string, entity: string) => Set<string>
  create: (address: string, content: unknown) => void
  onGone: () => void
}) {
  const id = useId()
  const [advanced, setAdvanced] = useState(false)
  const container = useRef<HTMLElement>(null)
  useFocusPath(container, focus, !!draft)
  if (!draft) return <p className="muted">Loading…</p>
  const result = issues.get(address) ?? NO_ISSUES
  const content = looksLikeAutomation(draft.content) ? draft.content : null
  const locked = ctx.readOnly || draft.status === 'conflict'
  const set = (patch: Partial<AutomationContent>) => draft.setContent((c) => ({ ...c, ...patch }))
  const key = parseAddress(address)!.key
  const all = [...result.errors, ...result.warnings]
  const partIssues = content ? partAddresses(content).flatMap((a) => withItem(a, issues.get(a))) : []
  const everything = [...withItem(address, result), ...partIssues]

  return (
    <section className="card automation-editor" aria-label={`Automation ${content?.label ?? key}`} ref={container}>
      <div className="card__body">
        <ItemBar draft={draft}>
          {ctx.readOnly ? null : (
            <>
              {draft.state === 'modified' || draft.state === 'deleted' ? <DiscardDraftButton size="sm" what={address} onDiscard={draft.discard} /> : null}
              {draft.state !== 'absent' && draft.state !== 'deleted' ? (
                <ConfirmDialog
                  trigger={
                    <Button size="sm" variant="danger">
                      Remove
                    </Button>
                  }
                  title={`Remove the automation "${content?.label ?? key}"?`}
                  description="It is removed from the drafts and stops running when you publish. Its trigger, conditions and actions stay, for other automations."
                  confirmLabel="Remove"
                  onConfirm={() => {
                    draft.remove()
                    if (draft.state === 'new') onGone()
                  }}
                />
              ) : null}
            </>
          )}
        </ItemBar>
        <DraftProblems draft={draft} what={content?.label ?? address} />
        {draft.state === 'deleted' ? (
          <p className="muted">Removed in the drafts. Discard the draft to bring it back.</p>
        ) : draft.content === null ? (
          <p className="muted">This automation does not exist (any more).</p>
        ) : (
          <WithJsonToggle
            advanced={advanced || !content}
            canBuild={!!content}
            onToggle={() => setAdvanced((a) => !a)}
            draft={draft}
            issues={result}
            readOnly={ctx.readOnly}
            builder={
              content ? (
                <div className="automation-parts">
                  <div className="form-grid">
                    <div className="field" data-config-path="label">
                      <Label htmlFor={`${id}-label`}>Name</Label>
                      <Input id={`${id}-label`} value={content.label} maxLength={100} readOnly={locked} onChange={(e) => set({ label: e.target.value })} />
                      <IssueNotes issues={issuesUnder(all, ['label'])} />
                    </div>
                    <div className="field" data-config-path="entity">
                      <Label htmlFor={`${id}-entity`}>Runs for</Label>
                      <NativeSelect
                        id={`${id}-entity`}
                        value={content.entity}
                        disabled={locked}
                        onChange={(e) => {
                          const entity = e.target.value as Entity
                          // Parts belong to one entity: start over with that entity's first trigger.
                          set({ entity, trigger: ctx.index.list('triggers', entity)[0]?.key ?? content.trigger, conditions: [], actions: [] })
                        }}
                      >
                        {ENTITIES.map((e) => (
                          <option key={e} value={e}>
                            {ENTITY_META[e].plural}
                          </option>
                        ))}
                      </NativeSelect>
                    </div>
                    <label className="check" data-config-path="enabled">
                      <input type="checkbox" disabled={locked} checked={content.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
                      Enabled
                    </label>
                  </div>
                  <AutomationSteps
                    content={content}
                    set={set}
                    slots={slots}
                    issues={issues}
                    all={all}
                    ctx={ctx}
                    locked={locked}
                    automationKey={key}
                    takenKeys={takenKeys}
                    create={create}
                  />
                </div>
              ) : null
            }
          />
        )}
        <section className="automation-check" aria-label="Validation" data-testid="automation-validation">
          {everything.length === 0 ? (
            <p className="json-editor__ok">No validation issues: this automation can be published.</p>
          ) : (
            <ul className="issue-list">
              {everything.map((issue, i) => (
                <li key={i} className={isWarning(issue) ? 'issue-note issue-note--warning' : 'issue-note issue-note--error'}>
                  {issue.item === address ? null : <code>{issue.item}</code>} {issue.path.length ? <code>{formatPath(issue.path)}</code> : null} {issue.message}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="automation-runs" aria-labelledby={`${id}-runs`} data-testid="automation-runs-slot">
          <h3 id={`${id}-runs`} className="card__title">
            Dry run and recent runs
          </h3>
          {content ? (
            <AutomationRunsPanel key={`${content.entity}/${content.trigger}`} automationKey={key} content={content} index={ctx.index} members={ctx.members} />
          ) : (
            <p className="muted">Finish the automation to try it against a record.</p>
          )}
        </section>
      </div>
    </section>
  )
}

const withItem = (item: string, r: ValidationResult | undefined) => [...(r?.errors ?? []), ...(r?.warnings ?? [])].map((i) => ({ ...i, item: i.item ?? item }))

type StepProps = {
  content: AutomationContent
  set: (patch: Partial<AutomationContent>) => void
  slots: ReadonlyMap<string, AnyDraftItem>
  issues: Map<string, ValidationResult>
  all: ReturnType<typeof issuesUnder>
  ctx: PartContext
  locked: boolean
  automationKey: string
  takenKeys: (namespace: string, entity: string) => Set<string>
  create: (address: string, content: unknown) => void
}

/** Trigger → conditions → actions: the three steps share what they are given. */
function AutomationSteps(step: StepProps) {
  return (
    <>
      <TriggerStep {...step} />
      <ConditionsStep {...step} />
      <ActionsStep {...step} />
    </>
  )
}

const NEW = '__new__'

/** One part inline: its state, save status and builder (the part's own draft). */
function PartCard({
  namespace,
  entity,
  partKey,
  slots,
  issues,
  ctx,
  usedBy,
}: {
  namespace: 'triggers' | 'conditions' | 'actions'
  entity: Entity
  partKey: string
  slots: ReadonlyMap<string, AnyDraftItem>
  issues: Map<string, ValidationResult>
  ctx: PartContext
  usedBy: number
}) {
  const address = formatAddress(namespace, entity, partKey)
  const draft = slots.get(address)
  if (!draft) return <p className="muted">Loading {address}…</p>
  if (draft.content === null || draft.state === 'deleted')
    return (
      <p className="muted">
        There is no such {namespace.slice(0, -1)} ({address}).
      </p>
    )
  return (
    <div className="part-card" data-testid={`part-${address}`}>
      <div className="part-card__bar">
        <code className="item-bar__address">{address}</code>
        <StateBadge state={draft.state} />
        <DraftStatus draft={draft} />
        {usedBy > 1 ? (
          <span className="muted">
            Shared with {usedBy - 1} other automation{usedBy > 2 ? 's' : ''}: changes apply to all
          </span>
        ) : null}
      </div>
      <DraftProblems draft={draft} what={address} />
      <PartBuilder namespace={namespace} entity={entity} draft={draft} issues={issues.get(address) ?? NO_ISSUES} ctx={ctx} />
    </div>
  )
}

function usage(index: ConfigIndex, namespace: 'triggers' | 'conditions' | 'actions', entity: Entity, key: string): number {
  return index
    .list('automations')
    .filter(
      (a) =>
        a.content.entity === entity &&
        (namespace === 'triggers'
          ? a.content.trigger === key
          : namespace === 'conditions'
            ? a.content.conditions.includes(key)
            : a.content.actions.includes(key)),
    ).length
}

function TriggerStep({ content, set, slots, issues, all, ctx, locked, automationKey, takenKeys, create }: StepProps) {
  const id = useId()
  const { entity } = content
  const triggers = ctx.index.list('triggers', entity)
  return (
    <section className="automation-step" aria-labelledby={`${id}-title`} data-config-path="trigger">
      <h3 id={`${id}-title`} className="automation-step__title">
        When
      </h3>
      <div className="field">
        <Label htmlFor={`${id}-pick`}>Trigger</Label>
        <NativeSelect
          id={`${id}-pick`}
          value={content.trigger}
          disabled={locked}
          onChange={(e) => {
            if (e.target.value === NEW) {
              const key = freeKey(`${automationKey}-when`, takenKeys('triggers', entity))
              create(formatAddress('triggers', entity, key), { event: 'record.updated' })
              set({ trigger: key })
            } else set({ trigger: e.target.value })
          }}
        >
          {triggers.some((t) => t.key === content.trigger) ? null : <option value={content.trigger}>{content.trigger}</option>}
          {triggers.map((t) => (
            <option key={t.key} value={t.key}>
              {describeTrigger(t.content, entity, ctx.index)} ({t.key})
            </option>
          ))}
          <option value={NEW}>New trigger…</option>
        </NativeSelect>
        <IssueNotes issues={issuesUnder(all, ['trigger'])} />
      </div>
      <PartCard
        namespace="triggers"
        entity={entity}
        partKey={content.trigger}
        slots={slots}
        issues={issues}
        ctx={ctx}
        usedBy={usage(ctx.index, 'triggers', entity, content.trigger)}
      />
    </section>
  )
}

function ConditionsStep({ content, set, slots, issues, all, ctx, locked, automationKey, takenKeys, create }: StepProps) {
  const id = useId()
  const { entity } = content
  const available = ctx.index.list('conditions', entity).filter((c) => !content.conditions.includes(c.key))
  return (
    <section className="automation-step" aria-labelledby={`${id}-title`} data-config-path="conditions">
      <h3 id={`${id}-title`} className="automation-step__title">
        If all of these hold
      </h3>
      <IssueNotes issues={issuesUnder(all, ['conditions'])} />
      {content.conditions.length === 0 ? <p className="muted">No conditions: it runs on every matching event.</p> : null}
      <ol className="automation-step__parts">
        {content.conditions.map((key) => (
          <li key={key}>
            <PartCard
              namespace="conditions"
              entity={entity}
              partKey={key}
              slots={slots}
              issues={issues}
              ctx={ctx}
              usedBy={usage(ctx.index, 'conditions', entity, key)}
            />
            {locked ? null : (
              <Button size="sm" variant="ghost" onClick={() => set({ conditions: content.conditions.filter((k) => k !== key) })}>
                Remove this condition from the automation
              </Button>
            )}
          </li>
        ))}
      </ol>
      {locked ? null : (
        <AddPart
          label="Add a condition"
          options={available.map((c) => ({ key: c.key, label: c.content.label ?? c.key }))}
          newLabel="New condition…"
          onAdd={(key) => {
            if (key === NEW) {
              key = freeKey(`${automationKey}-if`, takenKeys('conditions', entity))
              const first = (ctx.index.fields(entity) ?? []).find((f) => f.type === 'select') ?? (ctx.index.fields(entity) ?? [])[0]
              create(formatAddress('conditions', entity, key), {
                label: 'New condition',
                when: first?.options?.[0] ? { field: first.name, op: 'eq', value: first.options[0].value } : { field: first?.name ?? 'name', op: 'isNotEmpty' },
              })
            }
            set({ conditions: [...content.conditions, key] })
          }}
        />
      )}
    </section>
  )
}

function ActionsStep({ content, set, slots, issues, all, ctx, locked, automationKey, takenKeys, create }: StepProps) {
  const id = useId()
  const { entity } = content
  const available = ctx.index.list('actions', entity)
  const fields = ctx.index.fields(entity) ?? []
  return (
    <section className="automation-step" aria-labelledby={`${id}-title`} data-config-path="actions">
      <h3 id={`${id}-title`} className="automation-step__title">
        Then, in this order
      </h3>
      <IssueNotes issues={issuesUnder(all, ['actions'])} />
      <SortableList
        items={content.actions}
        label="Actions"
        getKey={(k, i) => `${k}-${i}`}
        getLabel={(k, i) => `step ${i + 1} (${describeAction(ctx.index.content('actions', entity, k), entity, ctx.index)})`}
        readOnly={locked}
        itemPath={(i) => `actions.${i}`}
        onMove={(from, to) => set({ actions: moveItem(content.actions, from, to) })}
        empty={<p className="muted">No actions yet: add at least one.</p>}
        renderItem={(key, i) => (
          <div className="automation-action">
            {content.actions.indexOf(key) < i ? (
              <p className="muted">The same action as step {content.actions.indexOf(key) + 1} again.</p>
            ) : (
              <PartCard
                namespace="actions"
                entity={entity}
                partKey={key}
                slots={slots}
                issues={issues}
                ctx={ctx}
                usedBy={usage(ctx.index, 'actions', entity, key)}
              />
            )}
            {locked ? null : (
              <Button size="sm" variant="ghost" onClick={() => set({ actions: content.actions.filter((_, j) => j !== i) })}>
                Remove step {i + 1}
              </Button>
            )}
          </div>
        )}
      />
      {locked ? null : (
        <AddPart
          label="Add an action"
          options={available.map((a) => ({ key: a.key, label: describeAction(a.content, entity, ctx.index) }))}
          newLabel="New action…"
          onAdd={(key) => {
            if (key === NEW) {
              key = freeKey(`${automationKey}-do`, takenKeys('actions', entity))
              create(formatAddress('actions', entity, key), newAction('notify', entity, fields, ctx.index))
            }
            set({ actions: [...content.actions, key] })
          }}
        />
      )}
    </section>
  )
}

function AddPart({
  label,
  options,
  newLabel,
  onAdd,
}: {
  label: string
  options: Array<{ key: string; label: string }>
  newLabel: string
  onAdd: (key: string) => void
}) {
  const id = useId()
  return (
    <div className="add-part">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <NativeSelect
        id={id}
        className="input--inline"
        value=""
        onChange={(e) => {
          if (e.target.value) onAdd(e.target.value)
        }}
      >
        <option value="">{label}…</option>
        <option value={NEW}>{newLabel}</option>
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label} ({o.key})
          </option>
        ))}
      </NativeSelect>
    </div>
  )
}

function NewAutomationDialog({
  open,
  onOpenChange,
  taken,
  onCreate,
}: {
  open: boolean
  onOpenChange: (o: boolean) => void
  taken: Set<string>
  onCreate: (label: string, key: string, entity: Entity) => void
}) {
  const [label, setLabel] = useState('')
  const [entity, setEntity] = useState<Entity>('case')
  const key = freeKey(label || 'automation', taken)
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title="New automation" description="It starts disabled with a trigger to fill in; nothing runs until you enable it and publish.">
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (!label.trim()) return
            onOpenChange(false)
            onCreate(label.trim(), key, entity)
            setLabel('')
          }}
        >
          <Field label="Name" value={label} maxLength={100} onChange={(e) => setLabel(e.target.value)} hint={`Address: automations/-/${key}`} required />
          <div className="field">
            <Label htmlFor="new-automation-entity">Runs for</Label>
            <NativeSelect id="new-automation-entity" value={entity} onChange={(e) => setEntity(e.target.value as Entity)}>
              {ENTITIES.map((e) => (
                <option key={e} value={e}>
                  {ENTITY_META[e].plural}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="dialog__actions">
            <Button variant="secondary" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!label.trim()}>
              Create automation
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  )
}
