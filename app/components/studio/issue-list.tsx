// Validation results of the whole draft set, grouped by item; every issue links to the builder,
// at the item and path it concerns.
import { Link } from '@remix-run/react'
import type { ConfigIssue } from '../../../server/config-language'
import { builderHref, formatPath } from './studio-links'

export function IssueList({ errors, warnings }: { errors: readonly ConfigIssue[]; warnings: readonly ConfigIssue[] }) {
  const byItem = new Map<string, Array<ConfigIssue & { severity: 'error' | 'warning' }>>()
  for (const e of errors) byItem.set(e.item, [...(byItem.get(e.item) ?? []), { ...e, severity: 'error' }])
  for (const w of warnings) byItem.set(w.item, [...(byItem.get(w.item) ?? []), { ...w, severity: 'warning' }])
  return (
    <ul className="issue-groups" aria-label="Validation issues">
      {[...byItem.entries()].map(([item, issues]) => (
        <li key={item} className="issue-group">
          <h3 className="issue-group__title">
            <Link to={builderHref(item)}>
              <code>{item}</code>
            </Link>
          </h3>
          <ul className="issue-group__list">
            {issues.map((issue, i) => (
              <li key={i} className={`issue issue--${issue.severity}`} data-testid="validation-issue">
                <span className={`badge ${issue.severity === 'error' ? 'badge--danger' : 'badge--warning'}`}>{issue.severity}</span>{' '}
                <Link to={builderHref(item, issue.path)} className="issue__link">
                  <code>{formatPath(issue.path)}</code>
                </Link>{' '}
                <span className="issue__message">{issue.message}</span> <span className="muted issue__code">{issue.code}</span>
                {issue.related?.length ? (
                  <span className="issue__related">
                    {' '}
                    Used by:{' '}
                    {issue.related.map((r, j) => (
                      <span key={r}>
                        {j > 0 ? ', ' : ''}
                        <Link to={builderHref(r)}>
                          <code>{r}</code>
                        </Link>
                      </span>
                    ))}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  )
}
