// Validation issues next to the thing they concern (a builder row, a field, a JSON editor).
import { CONFIG_WARNING_CODES, type ConfigIssue } from '../../../server/config-language'
import { cn } from '~/utils/cn'
import { formatPath } from './studio-links'

export const isWarning = (issue: Pick<ConfigIssue, 'code'>) => issue.code in CONFIG_WARNING_CODES

export function IssueNotes({ issues, className }: { issues: readonly ConfigIssue[]; className?: string }) {
  if (issues.length === 0) return null
  return (
    <ul className={cn('issue-notes', className)}>
      {issues.map((issue, i) => (
        <li key={`${issue.code}-${i}`} className={cn('issue-note', isWarning(issue) ? 'issue-note--warning' : 'issue-note--error')}>
          <span className="visually-hidden">{isWarning(issue) ? 'Warning: ' : 'Error: '}</span>
          {issue.message}
        </li>
      ))}
    </ul>
  )
}

/** Issues whose path lies under `path` (or equals it). */
export function issuesUnder(issues: readonly ConfigIssue[], path: readonly (string | number)[]): ConfigIssue[] {
  const p = path.join('.')
  return issues.filter((i) => {
    const k = i.path.join('.')
    return p === '' || k === p || k.startsWith(`${p}.`)
  })
}

/** Issues exactly at `path`. */
export function issuesAt(issues: readonly ConfigIssue[], path: readonly (string | number)[]): ConfigIssue[] {
  const p = path.join('.')
  return issues.filter((i) => i.path.join('.') === p)
}

/**
 * Every issue of one item under its builder, with the path it concerns, or the all-clear: the same
 * checks as publishing (a builder's inline notes sit next to each input; this is the summary).
 */
export function ItemCheck({ issues, what }: { issues: readonly ConfigIssue[]; what: string }) {
  return (
    <section className="automation-check" aria-label="Validation" data-testid="item-validation">
      {issues.length === 0 ? (
        <p className="json-editor__ok">No validation issues: this {what} can be published.</p>
      ) : (
        <ul className="issue-list">
          {issues.map((issue, i) => (
            <li key={i} className={cn('issue-note', isWarning(issue) ? 'issue-note--warning' : 'issue-note--error')}>
              <span className="visually-hidden">{isWarning(issue) ? 'Warning: ' : 'Error: '}</span>
              {issue.path.length ? <code>{formatPath(issue.path)}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
