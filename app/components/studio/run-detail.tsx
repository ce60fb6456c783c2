// The parts of the run page: each condition's result, every step of the run, and the causal chain
// (the runs whose changes led to this one, oldest first, each a link while it is still in the log).
import { Link } from '@remix-run/react'
import { RunRecord, RunStatusBadge, runHref, type RunRow } from './run-log'
import { actionTypeWords, chainLink, resultWords, STEP_STATUS_LABELS, stepWords } from './run-words'

/** How many causes the run page walks back; the engine's loop guard stops chains at 5. */
export const MAX_CHAIN_SHOWN = 10

export function RunConditions({ run, labels }: { run: Pick<RunRow, 'conditions' | 'matched' | 'status' | 'reason'>; labels: Record<string, string> }) {
  return (
    <section className="card run-section" aria-label="Conditions">
      <div className="card__body">
        <h2 className="card__title">Conditions</h2>
        {run.conditions.length === 0 ? (
          <p className="muted">
            {run.status === 'skipped' && !run.matched && run.reason?.startsWith('loop guard')
              ? 'Not evaluated: the loop guard stopped the run first.'
              : 'None: the automation runs on every matching event.'}
          </p>
        ) : (
          <ul className="trace-list">
            {run.conditions.map((c) => (
              <li key={c.key} className={c.result ? 'trace-line is-ok' : 'trace-line is-not'}>
                <span aria-hidden>{c.result ? '✓' : '✗'}</span> {labels[c.key] ?? c.key} {c.result ? 'held' : 'did not hold'}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}

export function RunSteps({ run }: { run: Pick<RunRow, 'steps'> }) {
  return (
    <section className="card run-section" aria-label="Steps">
      <div className="card__body">
        <h2 className="card__title">Steps</h2>
        {run.steps.length === 0 ? (
          <p className="muted">No actions.</p>
        ) : (
          <ol className="run-steps">
            {run.steps.map((s, i) => (
              <li key={i} className="run-step" data-step={s.actionKey}>
                <div className="run-step__head">
                  <strong>{actionTypeWords(s.type)}</strong> <code>{s.actionKey}</code>{' '}
                  <span className={s.status === 'succeeded' ? 'badge badge--success' : s.status === 'failed' ? 'badge badge--danger' : 'badge'}>
                    {STEP_STATUS_LABELS[s.status]}
                  </span>
                </div>
                <p className="muted">{stepWords(s)}</p>
                {s.error ? <p className="run-step__error">Error: {s.error}</p> : null}
                {resultWords(s.result) ? <p className="run-step__result">Result: {resultWords(s.result)}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  )
}

export function RunChain({
  run,
  causes,
  titles,
  automationLabels,
}: {
  run: Pick<RunRow, 'chain'>
  /** The runs that caused this one, nearest first (as the loader walks `causedByRunId`). */
  causes: RunRow[]
  titles: Record<string, string>
  automationLabels: Record<string, string>
}) {
  const earlier = run.chain.slice(0, -1)
  return (
    <section className="card run-section" aria-label="Caused by">
      <div className="card__body">
        <h2 className="card__title">Caused by</h2>
        {earlier.length === 0 ? (
          <p className="muted">A change made by a person, a tool or a schedule: no automation caused this run.</p>
        ) : (
          <ol className="run-chain">
            {earlier.map((link, j) => {
              const cause = causes[earlier.length - 1 - j]
              const { automationKey } = chainLink(link)
              const label = automationLabels[automationKey] ?? automationKey
              return (
                <li key={`${link}-${j}`}>
                  {cause ? (
                    <>
                      <Link to={runHref(cause.id)}>Run of “{label}”</Link> on <RunRecord run={cause} titles={titles} /> <RunStatusBadge run={cause} />
                    </>
                  ) : (
                    <>
                      A run of “{label}” <span className="muted">(no longer in the log)</span>
                    </>
                  )}
                </li>
              )
            })}
            <li>This run</li>
          </ol>
        )}
      </div>
    </section>
  )
}
