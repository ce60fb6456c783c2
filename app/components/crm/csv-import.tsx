// CSV import of customers: the file is read and parsed in the browser, its columns are mapped to
// the published customer fields (matched by label or name), a dry run shows which rows the server
// would reject, then the rows go to customers.importRows in chunks with a progress bar, and the
// rejected rows can be downloaded as a CSV report with the reasons.
import type { RouterOutputs } from '../../../server/app-router'
import { Link } from '@remix-run/react'
import { useId, useMemo, useRef, useState, type ChangeEvent } from 'react'
import { Progress } from 'radix-ui'
import { isSystemField, type FieldDef } from '../../../server/config-language'
import { useConfigIndex } from '~/config/live-config'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { parseCsv, toCsv, type ParsedCsv } from './csv'

export const IMPORT_CHUNK_SIZE = 200
export const IMPORT_URL = '/resources/import-customers'

export type ImportRowResult = RouterOutputs['customers']['importRows'][number]
type ImportResponse = { ok: true; results: ImportRowResult[] } | { ok: false; message: string }

type Phase = 'idle' | 'checking' | 'checked' | 'importing' | 'done'
type Outcome = { dryRun: boolean; processed: number; accepted: number; rejected: Array<{ row: number; errors: string[] }>; stopped: boolean; error?: string }

const normalize = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')

/** The field a CSV column most likely means: same label or name, ignoring case and punctuation. */
export function autoMatch(header: string, fields: readonly FieldDef[]): string {
  const h = normalize(header)
  const hit = fields.find((f) => normalize(f.label) === h) ?? fields.find((f) => normalize(f.name) === h)
  return hit?.name ?? ''
}

async function postChunk(rows: Record<string, string>[], mapping: Record<string, string>, dryRun: boolean): Promise<ImportResponse> {
  const res = await fetch(IMPORT_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ rows, mapping, dryRun }),
  })
  const body = (await res.json().catch(() => null)) as ImportResponse | null
  if (!body) return { ok: false, message: `The server answered ${res.status}` }
  return body
}

export function CsvImport() {
  const index = useConfigIndex()
  const fields = useMemo(() => (index.fields('customer') ?? []).filter((f) => !isSystemField(f.name)), [index])
  const fileId = useId()
  const [fileName, setFileName] = useState<string | null>(null)
  const [csv, setCsv] = useState<ParsedCsv | null>(null)
  const [parseError, setParseError] = useState<string | null>(null)
  const [mapping, setMapping] = useState<Record<string, string>>({})
  const [phase, setPhase] = useState<Phase>('idle')
  const [progress, setProgress] = useState(0)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const stop = useRef(false)

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0]
    setOutcome(null)
    setPhase('idle')
    setParseError(null)
    if (!file) return
    setFileName(file.name)
    try {
      const parsed = parseCsv(await file.text())
      if (parsed.headers.length === 0 || parsed.rows.length === 0) {
        setCsv(null)
        setParseError('The file has no rows below its header line.')
        return
      }
      setCsv(parsed)
      setMapping(Object.fromEntries(parsed.headers.map((h) => [h, autoMatch(h, fields)])))
    } catch (err) {
      setCsv(null)
      setParseError(`The file could not be read: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  const activeMapping = Object.fromEntries(Object.entries(mapping).filter(([, f]) => f !== ''))
  const mappedFields = new Set(Object.values(activeMapping))
  const duplicates = Object.values(activeMapping).filter((f, i, all) => all.indexOf(f) !== i)
  const missingRequired = fields.filter((f) => f.required && f.default === undefined && !mappedFields.has(f.name))
  const busy = phase === 'checking' || phase === 'importing'
  // After an import the same file is not offered again (it would add the rows twice).
  const canRun = csv !== null && Object.keys(activeMapping).length > 0 && duplicates.length === 0 && !busy && phase !== 'done'

  const run = async (dryRun: boolean) => {
    if (!csv) return
    stop.current = false
    setPhase(dryRun ? 'checking' : 'importing')
    setProgress(0)
    const result: Outcome = { dryRun, processed: 0, accepted: 0, rejected: [], stopped: false }
    const columns = Object.keys(activeMapping)
    for (let start = 0; start < csv.rows.length; start += IMPORT_CHUNK_SIZE) {
      if (stop.current) {
        result.stopped = true
        break
      }
      const chunk = csv.rows.slice(start, start + IMPORT_CHUNK_SIZE).map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? ''])))
      let answer: ImportResponse
      try {
        answer = await postChunk(chunk, activeMapping, dryRun)
      } catch (err) {
        answer = { ok: false, message: err instanceof Error ? err.message : String(err) }
      }
      if (!answer.ok) {
        result.error = `Rows ${start + 1}–${start + chunk.length} could not be sent: ${answer.message}`
        break
      }
      for (const r of answer.results) {
        if (r.ok) result.accepted++
        else
          result.rejected.push({
            row: start + r.index,
            errors: (r.errors ?? []).map((e) => (e.column ? `${e.column}: ${e.message}` : e.path ? `${e.path}: ${e.message}` : e.message)),
          })
      }
      result.processed = start + chunk.length
      setProgress(Math.round((result.processed / csv.rows.length) * 100))
      setOutcome({ ...result, rejected: [...result.rejected] })
    }
    setOutcome(result)
    setPhase(dryRun ? 'checked' : 'done')
  }

  const downloadReport = () => {
    if (!csv || !outcome) return
    const headers = ['Row', ...csv.headers, 'Errors']
    // Row numbers as a spreadsheet shows them: the header is line 1.
    const body = outcome.rejected.map((r) => [r.row + 2, ...csv.headers.map((h) => csv.rows[r.row]?.[h] ?? ''), r.errors.join(' | ')])
    const blob = new Blob([toCsv(headers, body)], { type: 'text/csv;charset=utf-8' })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = `${(fileName ?? 'import').replace(/\.csv$/i, '')}-rejected.csv`
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }

  return (
    <div className="import">
      <section className="card section" aria-labelledby="import-file">
        <div className="card__body">
          <h2 className="card__title" id="import-file">
            1. Choose a CSV file
          </h2>
          <p className="muted">The first line names the columns. Comma, semicolon and tab separated files work; values may be quoted.</p>
          <Label htmlFor={fileId}>CSV file</Label>
          <input id={fileId} type="file" accept=".csv,text/csv" onChange={onFile} disabled={busy} className="file-input" />
          {parseError ? <Alert tone="error">{parseError}</Alert> : null}
          {csv ? (
            <p className="import__summary">
              <strong>{fileName}</strong>: {csv.rows.length.toLocaleString('en-US')} rows, {csv.headers.length} columns.
            </p>
          ) : null}
          {csv?.warnings.map((w) => (
            <Alert key={w} tone="info">
              {w}
            </Alert>
          ))}
        </div>
      </section>

      {csv ? (
        <section className="card section" aria-labelledby="import-mapping">
          <div className="card__body">
            <h2 className="card__title" id="import-mapping">
              2. Map columns to fields
            </h2>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">CSV column</th>
                    <th scope="col">Sample values</th>
                    <th scope="col">Customer field</th>
                  </tr>
                </thead>
                <tbody>
                  {csv.headers.map((h, i) => (
                    <tr key={h}>
                      <td>
                        <strong>{h}</strong>
                      </td>
                      <td className="muted import__sample">
                        {csv.rows
                          .slice(0, 3)
                          .map((r) => r[h])
                          .filter(Boolean)
                          .join(' · ') || '—'}
                      </td>
                      <td>
                        <label className="visually-hidden" htmlFor={`map-${i}`}>
                          Field for column {h}
                        </label>
                        <NativeSelect
                          id={`map-${i}`}
                          className="input--inline"
                          value={mapping[h] ?? ''}
                          disabled={busy}
                          onChange={(e) => {
                            setMapping({ ...mapping, [h]: e.target.value })
                            setOutcome(null)
                            setPhase('idle')
                          }}
                        >
                          <option value="">Don’t import</option>
                          {fields.map((f) => (
                            <option key={f.name} value={f.name}>
                              {f.label}
                              {f.required ? ' *' : ''}
                            </option>
                          ))}
                        </NativeSelect>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {duplicates.length > 0 ? (
              <Alert tone="error">
                {[...new Set(duplicates)].map((d) => fields.find((f) => f.name === d)?.label ?? d).join(', ')} is mapped from more than one column.
              </Alert>
            ) : null}
            {missingRequired.length > 0 ? (
              <Alert tone="info">
                Required field{missingRequired.length > 1 ? 's' : ''} not mapped: {missingRequired.map((f) => f.label).join(', ')}. Rows will be rejected unless
                you map {missingRequired.length > 1 ? 'them' : 'it'}.
              </Alert>
            ) : null}
          </div>
        </section>
      ) : null}

      {csv ? (
        <section className="card section" aria-labelledby="import-run">
          <div className="card__body">
            <h2 className="card__title" id="import-run">
              3. Check and import
            </h2>
            <div className="import__actions">
              <Button variant="secondary" disabled={!canRun} onClick={() => void run(true)}>
                Check rows (dry run)
              </Button>
              <Button disabled={!canRun} onClick={() => void run(false)}>
                Import {csv.rows.length.toLocaleString('en-US')} rows
              </Button>
              {busy ? (
                <Button variant="ghost" onClick={() => (stop.current = true)}>
                  Stop
                </Button>
              ) : null}
            </div>
            {busy || outcome ? (
              <div className="import__progress">
                <Progress.Root className="progress" value={progress} max={100} aria-label={phase === 'checking' ? 'Checking rows' : 'Importing rows'}>
                  <Progress.Indicator className="progress__bar" style={{ transform: `translateX(-${100 - progress}%)` }} />
                </Progress.Root>
                <span className="muted" aria-live="polite">
                  {progress}% · {(outcome?.processed ?? 0).toLocaleString('en-US')} of {csv.rows.length.toLocaleString('en-US')} rows
                </span>
              </div>
            ) : null}
            {outcome && !busy ? <OutcomeSummary outcome={outcome} onDownload={downloadReport} /> : null}
          </div>
        </section>
      ) : null}
    </div>
  )
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`

function OutcomeSummary({ outcome, onDownload }: { outcome: Outcome; onDownload: () => void }) {
  const rejected = outcome.rejected.length
  return (
    <div className="import__outcome" data-testid="import-summary">
      {outcome.error ? <Alert tone="error">{outcome.error}</Alert> : null}
      <Alert tone={rejected > 0 || outcome.error ? 'info' : 'success'}>
        {outcome.dryRun
          ? `Dry run: ${plural(outcome.accepted, 'row')} would be imported, ${rejected.toLocaleString('en-US')} would be rejected. Nothing was saved.`
          : `Imported ${plural(outcome.accepted, 'customer')}; ${rejected === 1 ? '1 row was' : `${rejected.toLocaleString('en-US')} rows were`} rejected.`}
        {outcome.stopped ? ' Stopped before the end of the file.' : ''}
      </Alert>
      {rejected > 0 ? (
        <>
          <div className="import__actions">
            <Button variant="secondary" onClick={onDownload}>
              Download report of rejected rows (CSV)
            </Button>
            {!outcome.dryRun ? (
              <Button asChild variant="ghost">
                <Link to="/customers">Go to customers</Link>
              </Button>
            ) : null}
          </div>
          <ul className="import__errors">
            {outcome.rejected.slice(0, 10).map((r) => (
              <li key={r.row}>
                Row {r.row + 2}: {r.errors.join('; ') || 'rejected'}
              </li>
            ))}
            {rejected > 10 ? <li className="muted">… and {rejected - 10} more in the report.</li> : null}
          </ul>
        </>
      ) : !outcome.dryRun ? (
        <Button asChild variant="secondary">
          <Link to="/customers">Go to customers</Link>
        </Button>
      ) : null}
    </div>
  )
}
