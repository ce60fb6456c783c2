// Keyboard shortcuts of both shells: `/` focuses the page's list search, Ctrl/⌘-K opens the command
// palette, `?` lists the shortcuts. The single-key ones stay quiet while the person is typing.
import { useEffect, useState } from 'react'
import { Dialog, DialogContent } from '~/components/ui/dialog'
import type { Viewer } from '~/utils/viewer'
import { CommandPalette } from './command-palette'

const SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['Ctrl', 'K'], what: 'Open the command palette: go to a page or a record (⌘ K on a Mac)' },
  { keys: ['/'], what: 'Search the list on this page' },
  { keys: ['?'], what: 'Show these keyboard shortcuts' },
  { keys: ['↑', '↓', 'Enter'], what: 'In the command palette: pick a result and open it' },
  { keys: ['Esc'], what: 'Close a dialog or menu' },
]

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || !el.tagName) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
}

export function KeyboardShortcuts({ viewer }: { viewer: Viewer }) {
  const [palette, setPalette] = useState(false)
  const [help, setHelp] = useState(false)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        setHelp(false)
        setPalette((open) => !open)
        return
      }
      if (e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target) || document.querySelector('[role="dialog"], [role="alertdialog"]')) return
      if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('main input[type="search"]')
        if (!search) return
        e.preventDefault()
        search.focus()
        search.select()
      } else if (e.key === '?') {
        e.preventDefault()
        setHelp(true)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  return (
    <>
      <CommandPalette open={palette} onOpenChange={setPalette} viewer={viewer} />
      <Dialog open={help} onOpenChange={setHelp}>
        <DialogContent title="Keyboard shortcuts">
          <table className="table table--compact shortcuts" aria-label="Keyboard shortcuts">
            <thead>
              <tr>
                <th scope="col">Keys</th>
                <th scope="col">What they do</th>
              </tr>
            </thead>
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.what}>
                  <td>
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 ? ' ' : null}
                        <kbd className="kbd">{k}</kbd>
                      </span>
                    ))}
                  </td>
                  <td>{s.what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </DialogContent>
      </Dialog>
    </>
  )
}
