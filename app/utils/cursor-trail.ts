// Paging by cursor with a way back: the URL keeps the cursors of the newer pages walked so far
// (`trail`), so "Older" appends the current cursor and "Newer" pops the last one. Shared by the
// Studio's audit log and run log.

/** The trail of a request's URL, bounded. */
export function trailOf(params: URLSearchParams): string[] {
  return params.getAll('trail').filter(Boolean).slice(-50)
}

/** Query strings for the older and newer pages (null when there is none), keeping `filters`. */
export function pagerLinks(
  filters: Record<string, string>,
  page: { cursor: string | null; trail: readonly string[]; nextCursor: string | null },
): { older: string | null; newer: string | null } {
  const base = () => {
    const p = new URLSearchParams()
    for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v)
    return p
  }
  let older: string | null = null
  if (page.nextCursor) {
    const p = base()
    for (const t of page.trail) p.append('trail', t)
    if (page.cursor) p.append('trail', page.cursor)
    p.set('cursor', page.nextCursor)
    older = `?${p}`
  }
  let newer: string | null = null
  if (page.cursor) {
    const p = base()
    const back = page.trail[page.trail.length - 1]
    if (back) {
      for (const t of page.trail.slice(0, -1)) p.append('trail', t)
      p.set('cursor', back)
    }
    newer = `?${p}`
  }
  return { older, newer }
}
