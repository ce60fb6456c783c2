// One dashboard chart: a recharts bar or line chart with patterns and value labels (readable
// without colour), tooltips, and the same numbers as a table — visually hidden for screen readers
// by default, shown by "Show as table". Every number in the table links to the list behind it,
// and clicking a bar opens that list too. Charts draw only in the browser (they measure their
// box); the table is in the server's HTML from the start.
import { useEffect, useState, type ReactNode } from 'react'
import { Link, useNavigate } from '@remix-run/react'
import { Bar, BarChart, CartesianGrid, LabelList, Legend, Line, LineChart, Tooltip, XAxis, YAxis, pattern, patterns } from 'recharts'

export type ChartSeries = { key: string; label: string; color: string; pattern?: keyof typeof patterns; dash?: string }
export type ChartRow = { key: string; label: string; values: Record<string, number>; hrefs?: Record<string, string> }

const FILLS = new Map(Object.entries(patterns).map(([name, p]) => [name, pattern(p)]))
const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })

export function formatNumber(n: number, compact = false): string {
  return (compact ? compactFormat : numberFormat).format(n)
}

function useMounted(): boolean {
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  return mounted
}

export function ChartCard({
  id,
  title,
  description,
  kind,
  series,
  rows,
  stacked = false,
  compact = false,
  layout = 'horizontal',
  rowHeader = 'Label',
}: {
  id: string
  title: string
  description?: ReactNode
  kind: 'bar' | 'line'
  series: ChartSeries[]
  rows: ChartRow[]
  stacked?: boolean
  /** Values as 1.2k / 3.4M (amounts). */
  compact?: boolean
  /** `vertical`: one horizontal bar per row (long category names, a funnel). */
  layout?: 'horizontal' | 'vertical'
  rowHeader?: string
}) {
  const mounted = useMounted()
  const navigate = useNavigate()
  const [asTable, setAsTable] = useState(false)
  const data = rows.map((r) => ({ name: r.label, key: r.key, ...r.values }))
  const empty = rows.every((r) => series.every((s) => !r.values[s.key]))
  const format = (v: unknown) => (typeof v === 'number' ? formatNumber(v, compact) : String(v ?? ''))
  // Labels on every bar only while they fit; the tooltip and the table always have the numbers.
  const labelled = rows.length * (stacked ? 1 : series.length) <= 16
  const open = (rowKey: string, seriesKey: string) => {
    const href = rows.find((r) => r.key === rowKey)?.hrefs?.[seriesKey]
    if (href) navigate(href)
  }
  const axisProps = { tick: { fontSize: 12 }, tickFormatter: format }
  const categoryAxis = { dataKey: 'name', tick: { fontSize: 12 } }

  return (
    <section className="dash-card" aria-labelledby={`${id}-title`} data-testid={`chart-${id}`} data-empty={empty || undefined}>
      <header className="dash-card__header">
        <div>
          <h3 className="dash-card__title" id={`${id}-title`}>
            {title}
          </h3>
          {description ? <p className="dash-card__description">{description}</p> : null}
        </div>
        <button type="button" className="btn btn--ghost btn--sm" aria-pressed={asTable} onClick={() => setAsTable((v) => !v)}>
          {asTable ? 'Show as chart' : 'Show as table'}
        </button>
      </header>
      {empty ? (
        <p className="dash-card__empty">Nothing in this period.</p>
      ) : !asTable ? (
        <div className="dash-card__chart" aria-hidden="true">
          {mounted ? (
            kind === 'bar' ? (
              <BarChart
                responsive
                style={{ width: '100%', height: layout === 'vertical' ? Math.max(160, rows.length * 36 + 60) : 240 }}
                data={data}
                layout={layout}
                margin={{ top: 16, right: layout === 'vertical' ? 40 : 16, bottom: 4, left: 4 }}
              >
                <CartesianGrid strokeDasharray="3 3" vertical={layout === 'vertical'} horizontal={layout === 'horizontal'} />
                {layout === 'vertical' ? (
                  <>
                    <XAxis type="number" {...axisProps} />
                    <YAxis type="category" {...categoryAxis} width={110} />
                  </>
                ) : (
                  <>
                    <XAxis {...categoryAxis} />
                    <YAxis {...axisProps} width={48} allowDecimals={false} />
                  </>
                )}
                <Tooltip formatter={format} />
                {series.length > 1 ? <Legend /> : null}
                {series.map((s) => (
                  <Bar
                    key={s.key}
                    dataKey={s.key}
                    name={s.label}
                    stackId={stacked ? 'stack' : undefined}
                    fill={s.pattern ? { color: s.color, definition: FILLS.get(s.pattern)! } : s.color}
                    stroke={s.color}
                    cursor="pointer"
                    isAnimationActive={false}
                    onClick={(entry: { payload?: { key?: string } }) => entry.payload?.key && open(entry.payload.key, s.key)}
                  >
                    {labelled ? (
                      <LabelList
                        dataKey={s.key}
                        position={stacked ? 'center' : layout === 'vertical' ? 'right' : 'top'}
                        formatter={format}
                        className="dash-label"
                      />
                    ) : null}
                  </Bar>
                ))}
              </BarChart>
            ) : (
              <LineChart responsive style={{ width: '100%', height: 240 }} data={data} margin={{ top: 16, right: 16, bottom: 4, left: 4 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis {...categoryAxis} />
                <YAxis {...axisProps} width={48} allowDecimals={false} />
                <Tooltip formatter={format} />
                {series.length > 1 ? <Legend /> : null}
                {series.map((s) => (
                  <Line
                    key={s.key}
                    dataKey={s.key}
                    name={s.label}
                    stroke={s.color}
                    strokeWidth={2}
                    strokeDasharray={s.dash}
                    dot={rows.length <= 31}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            )
          ) : (
            <div className="dash-card__placeholder" />
          )}
        </div>
      ) : null}
      {/* Hidden, the table sits in a clipping box: a table ignores its own width and overflow, so
          on its own it would widen a narrow page by its columns. */}
      <div className={asTable && !empty ? 'dash-table-wrap' : 'visually-hidden'}>
        <table className={asTable && !empty ? 'dash-table' : undefined} data-testid={`table-${id}`}>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{rowHeader}</th>
              {series.map((s) => (
                <th scope="col" key={s.key}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                {series.map((s) => {
                  const value = format(r.values[s.key] ?? 0)
                  const href = r.hrefs?.[s.key]
                  return <td key={s.key}>{href ? <Link to={href}>{value}</Link> : value}</td>
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

/** A headline number that opens the list behind it. */
export function Kpi({ label, value, href, hint, testId }: { label: string; value: string; href?: string; hint?: string; testId?: string }) {
  return (
    <div className="dash-kpi" data-testid={testId}>
      <span className="dash-kpi__label">{label}</span>
      {href ? (
        <Link className="dash-kpi__value" to={href} aria-label={`${label}: ${value}, open the list`}>
          {value}
        </Link>
      ) : (
        <span className="dash-kpi__value">{value}</span>
      )}
      {hint ? <span className="dash-kpi__hint">{hint}</span> : null}
    </div>
  )
}

/** A metric group whose data this deployment does not have yet. */
export function UnavailableGroup({ title, reason, children }: { title: string; reason: string; children: ReactNode }) {
  return (
    <section className="dash-card dash-card--unavailable" aria-labelledby={`${title}-title`} data-testid={`unavailable-${title.toLowerCase()}`}>
      <h3 className="dash-card__title" id={`${title}-title`}>
        {title}
      </h3>
      <p className="dash-card__empty">
        Not available yet ({reason}). {children}
      </p>
    </section>
  )
}
