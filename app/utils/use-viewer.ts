import { useMatches } from '@remix-run/react'
import type { Viewer } from './viewer'

/**
 * The signed-in person as the enclosing shell's loader (CRM or Studio) loaded it, so child
 * routes need not ask `auth.me` again. Null outside a shell (login, error pages).
 */
export function useViewer(): Viewer | null {
  const matches = useMatches()
  for (const match of matches) {
    const data = match.data as { viewer?: Viewer } | undefined
    if (data?.viewer) return data.viewer
  }
  return null
}

export function useRequiredViewer(): Viewer {
  const viewer = useViewer()
  if (!viewer) throw new Error('useRequiredViewer must be used inside the CRM or Studio shell')
  return viewer
}
