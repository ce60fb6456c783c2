// A config item as JSON: a textarea whose every parseable state is autosaved as the draft, with
// the item's validation issues (validateItem against the whole draft set) listed by path.
import { useEffect, useId, useRef, useState } from 'react'
import type { ValidationResult } from '../../../server/config-language'
import { Button } from '~/components/ui/button'
import { Label } from '~/components/ui/label'
import type { AnyDraftItem } from './autosave'
import { isWarning } from './issue-notes'
import { formatPath } from './studio-links'

const pretty = (v: unknown) => JSON.stringify(v, null, 2)

export function JsonItemEditor({
  draft,
  readOnly,
  issues,
  label = 'Content (JSON)',
}: {
  draft: AnyDraftItem
  readOnly: boolean
  issues: ValidationResult
  label?: string
}) {
  const id = useId()
  const [text, setText] = useState(() => pretty(draft.content))
  const [parseError, setParseError] = useState<string | null>(null)
  // The content this textarea last produced; anything else arriving (reload, discard) replaces the text.
  const emitted = useRef<string>(JSON.stringify(draft.content))
  useEffect(() => {
    const incoming = JSON.stringify(draft.content)
    if (incoming !== emitted.current) {
      emitted.current = incoming
      setText(pretty(draft.content))
      setParseError(null)
    }
  }, [draft.content])

  const onChange = (next: string) => {
    setText(next)
    try {
      const value: unknown = JSON.parse(next)
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        setParseError('The content is a JSON object: { … }')
        return
      }
      setParseError(null)
      emitted.current = JSON.stringify(value)
      draft.setContent(value)
    } catch (err) {
      setParseError(`Not valid JSON yet: ${(err as Error).message}`)
    }
  }

  const all = [...issues.errors, ...issues.warnings]
  const locked = readOnly || draft.status === 'conflict'
  return (
    <div className="json-editor">
      <div className="json-editor__head">
        <Label htmlFor={`${id}-json`}>{label}</Label>
        {locked ? null : (
          <Button size="sm" variant="ghost" disabled={!!parseError} onClick={() => setText(pretty(draft.content))}>
            Format
          </Button>
        )}
      </div>
      <textarea
        id={`${id}-json`}
        className="input code-area json-editor__text"
        spellCheck={false}
        readOnly={locked}
        rows={Math.min(28, Math.max(10, text.split('\n').length + 1))}
        value={text}
        aria-invalid={parseError || issues.errors.length ? true : undefined}
        aria-describedby={`${id}-status`}
        onChange={(e) => onChange(e.target.value)}
      />
      <div id={`${id}-status`} className="json-editor__status" aria-live="polite">
        {parseError ? (
          <p className="field__error">{parseError} (not saved until it parses)</p>
        ) : all.length === 0 ? (
          <p className="json-editor__ok">No validation issues.</p>
        ) : (
          <ul className="issue-list">
            {all.map((issue, i) => (
              <li key={i} className={isWarning(issue) ? 'issue-note issue-note--warning' : 'issue-note issue-note--error'}>
                <code>{formatPath(issue.path)}</code> {issue.message} <span className="muted">({issue.code})</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}

/** For a builder whose item no longer has the shape it understands: edit the JSON instead. */
export function JsonFallback({ draft, readOnly, issues }: { draft: AnyDraftItem; readOnly: boolean; issues: ValidationResult }) {
  return (
    <div className="card">
      <div className="card__body">
        <p className="muted">This draft does not have the structure the builder edits, so it is shown as JSON. Fix it here and the builder returns.</p>
        <JsonItemEditor draft={draft} readOnly={readOnly} issues={issues} />
      </div>
    </div>
  )
}
