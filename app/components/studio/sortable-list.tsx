// A reorderable list: drag an item by its handle, or use its "Move up" / "Move down" buttons (the
// keyboard alternative; the new position is announced to screen readers).
import { useRef, useState, type DragEvent, type ReactNode } from 'react'
import { cn } from '~/utils/cn'

export type SortableListProps<T> = {
  items: readonly T[]
  getKey: (item: T, index: number) => string
  /** Names an item in the move buttons and announcements ("Move Email up"). */
  getLabel: (item: T, index: number) => string
  onMove: (from: number, to: number) => void
  renderItem: (item: T, index: number) => ReactNode
  /** Accessible name of the list. */
  label: string
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

export function SortableList<T>({ items, getKey, getLabel, onMove, renderItem, label, readOnly, itemPath, className, empty }: SortableListProps<T>) {
  const [dragging, setDragging] = useState<number | null>(null)
  const [drop, setDrop] = useState<{ index: number; after: boolean } | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const rows = useRef<(HTMLLIElement | null)[]>([])

  const move = (from: number, to: number, how: 'keyboard' | 'drag') => {
    if (to < 0 || to >= items.length || from === to) return
    onMove(from, to)
    setAnnouncement(`${getLabel(items[from]!, from)} moved to position ${to + 1} of ${items.length}`)
    if (how === 'keyboard') {
      // Keep focus on the same control of the moved item, so repeated presses keep moving it.
      requestAnimationFrame(() => {
        const row = rows.current[to]
        const button = row?.querySelector<HTMLButtonElement>(to > from ? '[data-move="down"]' : '[data-move="up"]')
        ;(button && !button.disabled ? button : row?.querySelector<HTMLButtonElement>('[data-move]'))?.focus()
      })
    }
  }

  const onDragOver = (e: DragEvent<HTMLLIElement>, index: number) => {
    if (dragging === null) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'move'
    const rect = e.currentTarget.getBoundingClientRect()
    const after = e.clientY > rect.top + rect.height / 2
    if (drop?.index !== index || drop.after !== after) setDrop({ index, after })
  }

  const onDrop = (e: DragEvent<HTMLLIElement>, index: number) => {
    e.preventDefault()
    if (dragging === null) return
    const rect = e.currentTarget.getBoundingClientRect()
    const after = e.clientY > rect.top + rect.height / 2
    let to = after ? index + 1 : index
    if (dragging < to) to -= 1
    move(dragging, to, 'drag')
    setDragging(null)
    setDrop(null)
  }

  if (items.length === 0 && empty) return <div className="sortable sortable--empty">{empty}</div>
  return (
    <>
      <ol className={cn('sortable', className)} aria-label={label}>
        {items.map((item, i) => {
          const name = getLabel(item, i)
          return (
            <li
              key={getKey(item, i)}
              ref={(el) => {
                rows.current[i] = el
              }}
              className={cn('sortable__item', dragging === i && 'is-dragging', drop?.index === i && (drop.after ? 'is-drop-after' : 'is-drop-before'))}
              data-config-path={itemPath?.(i)}
              data-testid={`sortable-item-${name}`}
              onDragOver={(e) => onDragOver(e, i)}
              onDragLeave={() => setDrop((d) => (d?.index === i ? null : d))}
              onDrop={(e) => onDrop(e, i)}
            >
              {readOnly ? null : (
                <span
                  className="sortable__handle"
                  draggable
                  title={`Drag to reorder ${name}`}
                  aria-hidden
                  data-testid={`drag-${name}`}
                  onDragStart={(e) => {
                    setDragging(i)
                    e.dataTransfer.effectAllowed = 'move'
                    e.dataTransfer.setData('text/plain', name)
                    const row = rows.current[i]
                    if (row) e.dataTransfer.setDragImage(row, 16, 16)
                  }}
                  onDragEnd={() => {
                    setDragging(null)
                    setDrop(null)
                  }}
                >
                  ⋮⋮
                </span>
              )}
              <div className="sortable__body">{renderItem(item, i)}</div>
              {readOnly ? null : (
                <span className="sortable__moves">
                  <button
                    type="button"
                    className="icon-btn"
                    data-move="up"
                    aria-label={`Move ${name} up`}
                    disabled={i === 0}
                    onClick={() => move(i, i - 1, 'keyboard')}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-btn"
                    data-move="down"
                    aria-label={`Move ${name} down`}
                    disabled={i === items.length - 1}
                    onClick={() => move(i, i + 1, 'keyboard')}
                  >
                    ↓
                  </button>
                </span>
              )}
            </li>
          )
        })}
      </ol>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </>
  )
}
