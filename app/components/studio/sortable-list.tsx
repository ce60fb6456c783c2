// A reorderable list: drag an item by its handle (mouse, touch or keyboard: focus the handle, Space,
// arrows, Space), or use its "Move up" / "Move down" buttons; moves are announced to screen readers.
// Several lists inside one <SortableBoard> share a drag context, so an item dragged onto another
// list moves there (the form builder's sections).
// @dnd-kit rather than the former hand-written HTML5 list: native drag events give no keyboard or
// touch dragging and no shared context across lists, which cross-section moves need.
import { createContext, useContext, useId, useRef, useState, type ReactNode } from 'react'
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCorners,
  pointerWithin,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
} from '@dnd-kit/core'
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { cn } from '~/utils/cn'

export type SortableListProps<T> = {
  items: readonly T[]
  getKey: (item: T, index: number) => string
  /** Names an item in the move buttons and announcements ("Move Email up"). */
  getLabel: (item: T, index: number) => string
  /** A move inside this list. */
  onMove: (from: number, to: number) => void
  renderItem: (item: T, index: number) => ReactNode
  /** Accessible name of the list. */
  label: string
  /** Identifies the list inside a <SortableBoard> (moves between lists go to the board's onMove). */
  listId?: string
  readOnly?: boolean
  /** data-config-path of each item (for validation links). */
  itemPath?: (index: number) => string
  className?: string
  empty?: ReactNode
}

export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list]
  const [moved] = next.splice(from, 1)
  next.splice(to, 0, moved as T)
  return next
}

/** Where an item sits: its list and index (index = the list's length for "at the end"). */
export type SortablePlace = { list: string; index: number }
type ItemData = SortablePlace & { label: string; listLabel: string }

const BoardContext = createContext(false)

const isZone = (id: unknown) => String(id).endsWith('::end')
/**
 * What the dragged item is over: with a pointer, the droppable under it; with the keyboard, the
 * closest by corners (dnd-kit's advice for several lists). An item beats the list it is in, so a
 * list only catches drops that land on no item (an empty section, or below its last field).
 */
const collide: CollisionDetection = (args) => {
  const under = args.pointerCoordinates ? pointerWithin(args) : []
  const hits = under.length ? under : closestCorners(args)
  const items = hits.filter((h) => !isZone(h.id))
  return items.length ? items : hits
}

function useDragSetup(onEnd: (from: ItemData, to: ItemData) => void) {
  const sensors = useSensors(
    // No activation distance: the handle does nothing but drag, and a drop must follow the pointer's first move.
    useSensor(PointerSensor),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )
  const data = (x: { data: { current?: unknown } } | null) => (x?.data.current ?? null) as ItemData | null
  const where = (d: ItemData | null) => (d ? (d.index >= 0 ? `${d.listLabel}, position ${d.index + 1}` : `the end of ${d.listLabel}`) : 'nowhere')
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${data(active)?.label}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`,
    onDragOver: ({ active, over }) => `${data(active)?.label} is over ${where(data(over))}.`,
    onDragEnd: ({ active, over }) => (over ? `${data(active)?.label} dropped at ${where(data(over))}.` : `${data(active)?.label} dropped.`),
    onDragCancel: ({ active }) => `Moving ${data(active)?.label} was cancelled.`,
  }
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const from = data(active)
    const to = data(over)
    if (!from || !to) return
    // Dropped on another list's item: before it, or after it when the dragged item's centre is below the item's centre.
    const dragged = active.rect.current.translated
    const below = dragged && over ? dragged.top + dragged.height / 2 > over.rect.top + over.rect.height / 2 : false
    onEnd(from, to.index < 0 || from.list === to.list || !below ? to : { ...to, index: to.index + 1 })
  }
  return { sensors, announcements, onDragEnd }
}

/** One drag context for several lists: `onMove` gets moves within a list and between lists. */
export function SortableBoard({ children, onMove }: { children: ReactNode; onMove: (from: SortablePlace, to: SortablePlace) => void }) {
  const id = useId()
  const { sensors, announcements, onDragEnd } = useDragSetup((from, to) => onMove({ list: from.list, index: from.index }, { list: to.list, index: to.index }))
  return (
    <BoardContext.Provider value>
      <DndContext id={id} sensors={sensors} collisionDetection={collide} accessibility={{ announcements }} onDragEnd={onDragEnd}>
        {children}
      </DndContext>
    </BoardContext.Provider>
  )
}

export function SortableList<T>(props: SortableListProps<T>) {
  const board = useContext(BoardContext)
  const id = useId()
  const listId = props.listId ?? id
  const { sensors, announcements, onDragEnd } = useDragSetup((from, to) => {
    if (from.list !== listId || to.list !== listId) return
    const last = props.items.length - 1
    const target = to.index < 0 || to.index > last ? last : to.index
    if (target !== from.index) props.onMove(from.index, target)
  })
  if (board) return <ListBody {...props} listId={listId} />
  return (
    <DndContext id={id} sensors={sensors} collisionDetection={collide} accessibility={{ announcements }} onDragEnd={onDragEnd}>
      <ListBody {...props} listId={listId} />
    </DndContext>
  )
}

function ListBody<T>({
  items,
  getKey,
  getLabel,
  onMove,
  renderItem,
  label,
  listId,
  readOnly,
  itemPath,
  className,
  empty,
}: SortableListProps<T> & { listId: string }) {
  const [announcement, setAnnouncement] = useState('')
  const rows = useRef<(HTMLLIElement | null)[]>([])
  const ids = items.map((item, i) => `${listId}::${getKey(item, i)}`)
  // The list itself is a drop target too (index -1 = at its end), so an empty section can receive a field.
  const { setNodeRef, isOver } = useDroppable({ id: `${listId}::end`, data: { list: listId, index: -1, label, listLabel: label }, disabled: readOnly })

  const move = (from: number, to: number) => {
    if (to < 0 || to >= items.length || from === to) return
    onMove(from, to)
    setAnnouncement(`${getLabel(items[from]!, from)} moved to position ${to + 1} of ${items.length}`)
    // Keep focus on the same control of the moved item, so repeated presses keep moving it.
    requestAnimationFrame(() => {
      const row = rows.current[to]
      const button = row?.querySelector<HTMLButtonElement>(to > from ? '[data-move="down"]' : '[data-move="up"]')
      ;(button && !button.disabled ? button : row?.querySelector<HTMLButtonElement>('[data-move]'))?.focus()
    })
  }

  return (
    <div ref={setNodeRef} className={cn('sortable-zone', isOver && 'is-over')} data-testid={`sortable-zone-${label}`}>
      {items.length === 0 && empty ? (
        <div className="sortable sortable--empty">{empty}</div>
      ) : (
        <SortableContext id={listId} items={ids} strategy={verticalListSortingStrategy}>
          <ol className={cn('sortable', className)} aria-label={label}>
            {items.map((item, i) => (
              <SortableRow
                key={ids[i]}
                id={ids[i]!}
                data={{ list: listId, index: i, label: getLabel(item, i), listLabel: label }}
                rowRef={(el) => {
                  rows.current[i] = el
                }}
                readOnly={readOnly}
                path={itemPath?.(i)}
                first={i === 0}
                last={i === items.length - 1}
                onUp={() => move(i, i - 1)}
                onDown={() => move(i, i + 1)}
              >
                {renderItem(item, i)}
              </SortableRow>
            ))}
          </ol>
        </SortableContext>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  )
}

function SortableRow({
  id,
  data,
  rowRef,
  readOnly,
  path,
  first,
  last,
  onUp,
  onDown,
  children,
}: {
  id: string
  data: ItemData
  rowRef: (el: HTMLLIElement | null) => void
  readOnly?: boolean
  path?: string
  first: boolean
  last: boolean
  onUp: () => void
  onDown: () => void
  children: ReactNode
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging, isOver, active } = useSortable({
    id,
    data,
    disabled: readOnly,
  })
  const name = data.label
  // An item from another list hovering here: show where it lands (this list's items do not shift for it).
  const foreign = isOver && active && (active.data.current as ItemData | undefined)?.list !== data.list
  return (
    <li
      ref={(el) => {
        setNodeRef(el)
        rowRef(el)
      }}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn('sortable__item', isDragging && 'is-dragging', foreign && 'is-drop-before')}
      data-config-path={path}
      data-testid={`sortable-item-${name}`}
      data-drop-target={isOver ? 'true' : undefined}
    >
      {readOnly ? null : (
        <button
          type="button"
          ref={setActivatorNodeRef}
          className="sortable__handle"
          title={`Drag to move ${name}`}
          data-testid={`drag-${name}`}
          {...attributes}
          {...listeners}
          aria-label={`Drag ${name}`}
        >
          ⋮⋮
        </button>
      )}
      <div className="sortable__body">{children}</div>
      {readOnly ? null : (
        <span className="sortable__moves">
          <button type="button" className="icon-btn" data-move="up" aria-label={`Move ${name} up`} disabled={first} onClick={onUp}>
            ↑
          </button>
          <button type="button" className="icon-btn" data-move="down" aria-label={`Move ${name} down`} disabled={last} onClick={onDown}>
            ↓
          </button>
        </span>
      )}
    </li>
  )
}
