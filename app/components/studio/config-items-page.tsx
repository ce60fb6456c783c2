// The Studio page of a namespace's items (the Triggers / Conditions / Actions tabs, approval rules,
// SLA policies): every item with its state and a one-line summary, and the selected item in its
// builder (renderBuilder) or else a JSON editor, with inline validation, autosaved like every other draft.
import { Link } from '@remix-run/react'
import { useMemo, useState, type ReactNode } from 'react'
import {
  ENTITY_RULE,
  KEY_PATTERN,
  NO_ENTITY,
  buildConfigIndex,
  formatAddress,
  parseAddress,
  type ConfigIndex,
  type ConfigItem,
  type EntitySegment,
  type Namespace,
  type ValidationResult,
} from '../../../server/config-language'
import { Button } from '~/components/ui/button'
import { ConfirmDialog } from '~/components/ui/confirm-dialog'
import { Dialog, DialogContent } from '~/components/ui/dialog'
import { Field } from '~/components/ui/field'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { cn } from '~/utils/cn'
import type { StudioListItem } from '~/utils/studio.server'
import { useDraftItem, useStartFromTemplate, type AnyDraftItem } from './autosave'
import { DiscardDraftButton } from './discard-draft-button'
import { formatMinutes } from './sla-targets'
import { DraftProblems, StateBadge } from './draft-status'
import { loadedOf } from './form-builder'
import { JsonItemEditor } from './json-item-editor'
import { ItemBar, SubTabs } from './studio-chrome'
import { ENTITY_LABELS, formatPath, ITEM_LABELS, NAMESPACE_LABELS } from './studio-links'
import { useItemValidation } from './working-set'

export type ItemsPageProps = {
  /** The namespaces this page manages (tabs when more than one). */
  namespaces: readonly Namespace[]
  namespace: Namespace
  selected: string | null
  focus: string | null
  create: boolean
  items: StudioListItem[]
  drafts: ConfigItem[]
  live: ConfigItem[]
  readOnly: boolean
  basePath: string
  onNavigate: (to: string) => void
  /** A structured editor for the item (null: the JSON editor). */
  renderBuilder?: (args: { address: string; draft: AnyDraftItem; issues: ValidationResult; set: ConfigItem[]; focus: string | null }) => ReactNode | null
}

const minutes = (v: unknown) => (typeof v === 'number' ? formatMinutes(v) : '?')

/** One line that says what an item does, read from its (working) content. */
function summarize(namespace: Namespace, content: unknown, index: ConfigIndex): string {
  const c = (content ?? {}) as Record<string, unknown>
  const label = typeof c.label === 'string' ? c.label : ''
  switch (namespace) {
    case 'triggers':
      return `${String(c.event ?? '?')}${Array.isArray(c.fields) ? ` (${c.fields.join(', ')})` : ''}${typeof c.cron === 'string' ? ` ${c.cron}` : ''}`
    case 'actions':
      return `${String(c.type ?? '?')}${typeof c.message === 'string' ? `: ${c.message}` : typeof c.tag === 'string' ? `: ${c.tag}` : typeof c.field === 'string' ? `: ${c.field}` : ''}`
    case 'automations': {
      const entity = typeof c.entity === 'string' ? c.entity : '?'
      const trigger = typeof c.trigger === 'string' ? c.trigger : '?'
      const event = index.get(`triggers/${entity}/${trigger}`) ? (index.get(`triggers/${entity}/${trigger}`)!.content as { event?: string }).event : undefined
      const conditions = Array.isArray(c.conditions) && c.conditions.length ? ` if ${c.conditions.join(' and ')}` : ''
      const actions = Array.isArray(c.actions) ? ` → ${c.actions.join(', ')}` : ''
      return `${label} · ${c.enabled === false ? 'disabled · ' : ''}when ${entity} ${event ?? trigger}${conditions}${actions}`
    }
    case 'sla':
      return `${label} · first response ${minutes(c.firstResponseMinutes)}, resolution ${minutes(c.resolutionMinutes)}${c.businessHours ? ' (business hours)' : ''}`
    case 'approvals':
      return `${label}${Array.isArray(c.lockedFields) && c.lockedFields.length ? ` · locks ${c.lockedFields.join(', ')}` : ''}`
    default:
      return label
  }
}

function template(namespace: Namespace, entity: EntitySegment, index: ConfigIndex): unknown {
  const first = (ns: Namespace, e: string) => index.items.find((i) => i.namespace === ns && i.entity === e)?.key ?? ''
  const titleField = entity === 'case' ? 'subject' : 'name'
  switch (namespace) {
    case 'triggers':
      return { event: 'record.created' }
    case 'conditions':
      return { label: 'New condition', when: { field: titleField, op: 'isNotEmpty' } }
    case 'actions':
      return { type: 'addTag', tag: 'follow-up' }
    case 'automations':
      return {
        label: 'New automation',
        entity: 'case',
        trigger: first('triggers', 'case'),
        conditions: [],
        actions: [first('actions', 'case')],
        enabled: false,
        order: 100,
      }
    case 'approvals':
      return { label: 'New approval rule', entity, when: { field: titleField, op: 'isNotEmpty' }, steps: [{ approverRole: 'MANAGER' }], lockedFields: [] }
    case 'sla':
      return {
        label: 'New SLA policy',
        when: { field: 'priority', op: 'eq', value: 'normal' },
        firstResponseMinutes: 60,
        resolutionMinutes: 480,
        businessHours: null,
        warnAtPercent: 80,
      }
    default:
      return {}
  }
}

export function ConfigItemsPage(props: ItemsPageProps) {
  const { namespace, items, drafts, live, readOnly, basePath } = props
  const index = useMemo(() => buildConfigIndex(drafts), [drafts])
  const inNamespace = items.filter((i) => i.namespace === namespace)
  const selected = props.selected && parseAddress(props.selected)?.namespace === namespace ? props.selected : null
  const [creating, setCreating] = useState(false)
  const href = (params: Record<string, string>) => `${basePath}?${new URLSearchParams(props.namespaces.length > 1 ? { ns: namespace, ...params } : params)}`

  return (
    <>
      {props.namespaces.length > 1 ? (
        <SubTabs
          label="Item kind"
          items={props.namespaces.map((ns) => ({
            key: ns,
            label: NAMESPACE_LABELS[ns],
            href: `${basePath}?${new URLSearchParams({ ns })}`,
            active: ns === namespace,
          }))}
        />
      ) : null}
      <div className="items-layout">
        <section className="card items-layout__list" aria-labelledby="items-title">
          <div className="card__body">
            <div className="card__head">
              <h2 id="items-title" className="card__title">
                {NAMESPACE_LABELS[namespace]}
              </h2>
              {readOnly ? null : (
                <Button size="sm" onClick={() => setCreating(true)}>
                  New
                </Button>
              )}
            </div>
            {inNamespace.length === 0 ? (
              <p className="muted">None yet.</p>
            ) : (
              <ul className="item-list">
                {inNamespace.map((i) => {
                  const content = drafts.find((d) => formatAddress(d.namespace, d.entity, d.key) === i.address)?.content ?? null
                  return (
                    <li key={i.address}>
                      <Link
                        to={href({ item: i.address })}
                        className={cn('item-list__link', i.address === selected && 'is-active')}
                        aria-current={i.address === selected ? 'true' : undefined}
                      >
                        <span className="item-list__top">
                          <code>{i.entity === '-' ? i.key : `${i.entity}/${i.key}`}</code>
                          <StateBadge state={i.state} />
                        </span>
                        <span className="item-list__summary">{i.state === 'deleted' ? 'Removed in draft' : summarize(namespace, content, index)}</span>
                      </Link>
                    </li>
                  )
                })}
              </ul>
            )}
          </div>
        </section>
        <div className="items-layout__editor">
          {selected ? (
            <ItemEditor
              key={selected}
              address={selected}
              focus={props.focus}
              create={props.create}
              items={items}
              drafts={drafts}
              live={live}
              readOnly={readOnly}
              index={index}
              renderBuilder={props.renderBuilder}
              onGone={() => props.onNavigate(href({}))}
            />
          ) : (
            <div className="empty-state">
              <h2 className="empty-state__title">Pick an item</h2>
              <p className="empty-state__text">Choose one on the left to see and edit it{readOnly ? '' : ', or create a new one'}.</p>
            </div>
          )}
        </div>
      </div>
      <NewItemDialog
        open={creating}
        onOpenChange={setCreating}
        namespace={namespace}
        taken={inNamespace.map((i) => i.address)}
        onCreate={(address) => props.onNavigate(href({ item: address, create: '1' }))}
        inBuilder={!!props.renderBuilder}
      />
    </>
  )
}

function ItemEditor({
  address,
  focus,
  create,
  items,
  drafts,
  live,
  readOnly,
  index,
  renderBuilder,
  onGone,
}: {
  address: string
  focus: string | null
  create: boolean
  items: StudioListItem[]
  drafts: ConfigItem[]
  live: ConfigItem[]
  readOnly: boolean
  index: ConfigIndex
  renderBuilder?: ItemsPageProps['renderBuilder']
  onGone: () => void
}) {
  const parts = parseAddress(address)!
  const draft = useDraftItem<unknown>({ item: parts, loaded: loadedOf(items, drafts, address), readOnly, label: address })
  useStartFromTemplate(draft, create ? () => template(parts.namespace, parts.entity, index) : null, readOnly)
  const overrides = useMemo(
    () => [{ item: parts, content: draft.state === 'deleted' ? null : draft.content }],
    [parts.namespace, parts.entity, parts.key, draft.content, draft.state],
  )
  const { issues, set } = useItemValidation(drafts, live, overrides)
  const result = issues.get(address) ?? { errors: [], warnings: [] }
  const focused = focus ? [...result.errors, ...result.warnings].filter((i) => formatPath(i.path).length > 0 && i.path.join('.') === focus) : []
  return (
    <section className="card" aria-label={`Edit ${address}`}>
      <div className="card__body">
        <ItemBar draft={draft}>
          {readOnly ? null : (
            <>
              {draft.state === 'modified' || draft.state === 'deleted' ? <DiscardDraftButton size="sm" what={address} onDiscard={draft.discard} /> : null}
              {draft.state !== 'absent' && draft.state !== 'deleted' ? (
                <ConfirmDialog
                  trigger={
                    <Button size="sm" variant="danger">
                      Remove
                    </Button>
                  }
                  title={`Remove ${address}?`}
                  description="It is removed from the drafts and disappears when you publish. Validation lists anything that still refers to it."
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
        <DraftProblems draft={draft} what={address} />
        {focused.length ? (
          <p className="focus-note">
            You came here for: <code>{formatPath(focused[0]!.path)}</code> {focused[0]!.message}
          </p>
        ) : null}
        {draft.state === 'deleted' ? (
          <p className="muted">Removed in the drafts. Discard the draft to bring it back.</p>
        ) : draft.content === null ? (
          <p className="muted">This item does not exist (any more).</p>
        ) : (
          (renderBuilder?.({ address, draft, issues: result, set, focus }) ?? <JsonItemEditor draft={draft} readOnly={readOnly} issues={result} />)
        )}
      </div>
    </section>
  )
}

function NewItemDialog({
  open,
  onOpenChange,
  namespace,
  taken,
  onCreate,
  inBuilder,
}: {
  open: boolean
  onOpenChange: (o: boolean) => void
  namespace: Namespace
  taken: string[]
  onCreate: (address: string) => void
  /** Whether the item opens in a builder (else as JSON). */
  inBuilder: boolean
}) {
  const entities = ENTITY_RULE[namespace]
  const [entity, setEntity] = useState<EntitySegment>(entities[0]!)
  const [key, setKey] = useState('')
  const address = formatAddress(namespace, entities.includes(entity) ? entity : entities[0]!, key)
  const problem = !key
    ? null
    : !KEY_PATTERN.test(key)
      ? 'Lower-case letters, digits and dashes, starting with a letter'
      : taken.includes(address)
        ? 'That address is taken'
        : null
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title={`New ${ITEM_LABELS[namespace]}`}
        description={inBuilder ? 'It starts from a small template you then shape in the builder.' : 'It starts from a small template you can edit as JSON.'}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (!key || problem) return
            onOpenChange(false)
            onCreate(address)
            setKey('')
          }}
        >
          {entities.length > 1 ? (
            <div className="field">
              <Label htmlFor="new-item-entity">For</Label>
              <NativeSelect id="new-item-entity" value={entity} onChange={(e) => setEntity(e.target.value as EntitySegment)}>
                {entities.map((e) => (
                  <option key={e} value={e}>
                    {e === NO_ENTITY ? e : ENTITY_LABELS[e]}
                  </option>
                ))}
              </NativeSelect>
            </div>
          ) : null}
          <Field label="Key" value={key} onChange={(e) => setKey(e.target.value)} error={problem ?? undefined} hint={`Address: ${address}`} required />
          <div className="dialog__actions">
            <Button variant="secondary" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!key || !!problem}>
              Create
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  )
}
