import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { exportInsights, insights, toAppError, type Insights, type NumberSummary } from '../../ipc';
import { dirOf, t, type Lang, type StringKey } from '../../i18n';
import { Busy, Failure } from '../archive/Busy';
import { askSavePath } from '../archive/files';
import { buildQuery, dayLabel, formatCost, formatMinutes, formatRate, insightsFileName, isEmpty, parseDay, PERIODS, type Period } from './period';

const CHART_HEIGHT = 240;

/** The width of a chart's box, followed when the window is resized (ResizeObserver, where it exists). */
function useWidth(fallback = 640) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry.contentRect.width);
      if (w > 0) setWidth(w);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, width };
}

const CATEGORY_KEY: Record<string, StringKey> = {
  MARKETING: 'cvCatMarketing',
  UTILITY: 'cvCatUtility',
  AUTHENTICATION: 'cvCatAuthentication',
  SERVICE: 'cvCatService',
};

function categoryName(lang: Lang, c: string): string {
  const key = CATEGORY_KEY[c.toUpperCase()];
  return key ? t(lang, key) : c || t(lang, 'insOtherCategory');
}

/** Colours come from the theme's variables, so dark mode reads well. */
const axisTick = { fill: 'var(--muted)', fontSize: 12 };
const tooltipStyle = { background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)', borderRadius: 8 };

function Card({ title, id, children, wide }: { title: string; id: string; children: ReactNode; wide?: boolean }) {
  return (
    <section className={wide ? 'insight-card wide' : 'insight-card'} aria-labelledby={`${id}-title`} id={id}>
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
    </section>
  );
}

function PerDayChart({ lang, days }: { lang: Lang; days: Insights['days'] }) {
  const { ref, width } = useWidth();
  const rtl = dirOf(lang) === 'rtl';
  const nf = new Intl.NumberFormat(lang);
  const data = days.map((d) => ({ ...d, label: dayLabel(lang, d.day) }));
  const inbound = t(lang, 'insInbound');
  const outbound = t(lang, 'insOutbound');
  const axes = (
    <>
      <CartesianGrid stroke="var(--border)" vertical={false} />
      <XAxis dataKey="label" reversed={rtl} tick={axisTick} stroke="var(--border)" minTickGap={12} />
      <YAxis orientation={rtl ? 'right' : 'left'} allowDecimals={false} tick={axisTick} stroke="var(--border)" tickFormatter={(v: number) => nf.format(v)} width={44} />
      <Tooltip contentStyle={tooltipStyle} cursor={{ fill: 'var(--accent-soft)' }} formatter={(v) => nf.format(Number(v))} />
    </>
  );
  return (
    <>
      <div className="chart-legend" aria-hidden="true">
        <span className="swatch in" /> {inbound}
        <span className="swatch out" /> {outbound}
      </div>
      <div className="chart-box" ref={ref} aria-hidden="true">
        {days.length <= 45 ? (
          <BarChart width={width} height={CHART_HEIGHT} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            {axes}
            <Bar dataKey="inbound" name={inbound} fill="var(--chart-in)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
            <Bar dataKey="outbound" name={outbound} fill="var(--chart-out)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        ) : (
          <LineChart width={width} height={CHART_HEIGHT} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            {axes}
            <Line dataKey="inbound" name={inbound} stroke="var(--chart-in)" strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line dataKey="outbound" name={outbound} stroke="var(--chart-out)" strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        )}
      </div>
      {/* The chart's text alternative: every day's figures, for screen readers. */}
      <table className="visually-hidden" id="insights-days-table">
        <caption>{t(lang, 'insPerDay')}</caption>
        <thead>
          <tr>
            <th scope="col">{t(lang, 'insDay')}</th>
            <th scope="col">{inbound}</th>
            <th scope="col">{outbound}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <th scope="row">{parseDay(d.day)?.toLocaleDateString(lang, { day: 'numeric', month: 'long', year: 'numeric' }) ?? d.day}</th>
              <td>{nf.format(d.inbound)}</td>
              <td>{nf.format(d.outbound)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CategoryChart({ lang, categories }: { lang: Lang; categories: Insights['categories'] }) {
  const { ref, width } = useWidth(420);
  const rtl = dirOf(lang) === 'rtl';
  const nf = new Intl.NumberFormat(lang);
  const data = categories.map((c) => ({ ...c, label: categoryName(lang, c.category) }));
  const currencies = new Set(categories.map((c) => c.currency));
  const total = currencies.size === 1 ? categories.reduce((s, c) => s + c.cost, 0) : null;
  return (
    <>
      <div className="chart-box" ref={ref} aria-hidden="true">
        <BarChart width={width} height={200} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="label" reversed={rtl} tick={axisTick} stroke="var(--border)" />
          <YAxis orientation={rtl ? 'right' : 'left'} allowDecimals={false} tick={axisTick} stroke="var(--border)" tickFormatter={(v: number) => nf.format(v)} width={44} />
          <Tooltip contentStyle={tooltipStyle} cursor={{ fill: 'var(--accent-soft)' }} formatter={(v) => nf.format(Number(v))} />
          <Bar dataKey="sends" name={t(lang, 'insSends')} fill="var(--chart-out)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </div>
      <table className="insight-table" id="insights-categories-table">
        <caption className="visually-hidden">{t(lang, 'insCategories')}</caption>
        <thead>
          <tr>
            <th scope="col">{t(lang, 'insCategory')}</th>
            <th scope="col">{t(lang, 'insSends')}</th>
            <th scope="col">{t(lang, 'insCost')}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((c) => (
            <tr key={c.category}>
              <th scope="row">{c.label}</th>
              <td>{nf.format(c.sends)}</td>
              <td>{formatCost(lang, c.cost, c.currency)}</td>
            </tr>
          ))}
        </tbody>
        {total !== null && categories.length > 1 && (
          <tfoot>
            <tr>
              <th scope="row">{t(lang, 'insTotal')}</th>
              <td>{nf.format(categories.reduce((s, c) => s + c.sends, 0))}</td>
              <td>{formatCost(lang, total, categories[0].currency)}</td>
            </tr>
          </tfoot>
        )}
      </table>
    </>
  );
}

function Failures({ lang, failures }: { lang: Lang; failures: Insights['failures'] }) {
  const nf = new Intl.NumberFormat(lang);
  const most = Math.max(1, ...failures.map((f) => f.count));
  return (
    <table className="insight-table failures" id="insights-failures-table">
      <caption className="visually-hidden">{t(lang, 'insFailures')}</caption>
      <thead>
        <tr>
          <th scope="col">{t(lang, 'insReason')}</th>
          <th scope="col">{t(lang, 'insCount')}</th>
        </tr>
      </thead>
      <tbody>
        {failures.map((f) => (
          <tr key={`${f.code ?? ''}-${f.reason}`}>
            <th scope="row" dir="auto">
              {f.reason}
              {f.code && <span className="muted"> ({f.code})</span>}
            </th>
            <td className="bar-cell">
              <span className="hbar" style={{ inlineSize: `${(f.count / most) * 100}%` }} aria-hidden="true" />
              <span>{nf.format(f.count)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Insights over a period: traffic, sends and cost, delivery, failures, response time, missed customers. */
export function InsightsPage({
  lang,
  numbers,
  onClose,
  onOpenConversation,
}: {
  lang: Lang;
  numbers: NumberSummary[];
  onClose: () => void;
  onOpenConversation: (conversationId: number) => void;
}) {
  const [period, setPeriod] = useState<Period>('30d');
  const [custom, setCustom] = useState({ from: '', to: '' });
  const [numberId, setNumberId] = useState<number | null>(null);
  const [answer, setData] = useState<Insights | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [exportFailure, setExportFailure] = useState<string | null>(null);
  const asked = useRef(0);

  const query = useMemo(() => buildQuery(period, custom, numberId), [period, custom, numberId]);
  // Incomplete custom dates: show nothing rather than the previous period's figures.
  const data = query ? answer : null;

  useEffect(() => {
    if (!query) return;
    const mine = ++asked.current;
    setLoading(true);
    setFailure(null);
    insights(query).then(
      (r) => {
        if (asked.current !== mine) return;
        setData(r);
        setLoading(false);
      },
      (e: unknown) => {
        if (asked.current !== mine) return;
        setData(null);
        setFailure(toAppError(e).message);
        setLoading(false);
      },
    );
  }, [query]);

  const exportCsv = async () => {
    if (!query) return;
    setExported(null);
    setExportFailure(null);
    setExporting(true);
    try {
      const path = await askSavePath(insightsFileName(query), t(lang, 'arcCsvFilter'), 'csv');
      if (path) setExported((await exportInsights(query, path)).path);
    } catch (e) {
      setExportFailure(toAppError(e).message);
    } finally {
      setExporting(false);
    }
  };

  const nf = new Intl.NumberFormat(lang);
  const when = (iso: string) => new Date(iso).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const badRange = period === 'custom' && custom.from !== '' && custom.to !== '' && query === null;

  return (
    <div className="insights-page" id="insights-page">
      <div className="settings-head">
        <h2>{t(lang, 'insTitle')}</h2>
        <button type="button" className="secondary" onClick={onClose} id="close-insights">
          {t(lang, 'back')}
        </button>
      </div>

      <div className="insights-controls">
        <label className="field-inline">
          <span>{t(lang, 'insPeriod')}</span>
          <select id="insights-period" value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
            {PERIODS.map((p) => (
              <option key={p.value} value={p.value}>
                {t(lang, p.label)}
              </option>
            ))}
          </select>
        </label>
        {period === 'custom' && (
          <>
            <label className="field-inline">
              <span>{t(lang, 'insFrom')}</span>
              <input type="date" id="insights-from" value={custom.from} onChange={(e) => setCustom((c) => ({ ...c, from: e.target.value }))} />
            </label>
            <label className="field-inline">
              <span>{t(lang, 'insTo')}</span>
              <input type="date" id="insights-to" value={custom.to} onChange={(e) => setCustom((c) => ({ ...c, to: e.target.value }))} />
            </label>
          </>
        )}
        {numbers.length > 0 && (
          <label className="field-inline">
            <span>{t(lang, 'filterNumber')}</span>
            <select id="insights-number" value={numberId ?? ''} onChange={(e) => setNumberId(e.target.value === '' ? null : Number(e.target.value))}>
              <option value="">{t(lang, 'filterNumberAny')}</option>
              {numbers.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.displayName}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" className="secondary" id="insights-export" onClick={() => void exportCsv()} disabled={!query || exporting || loading}>
          {exporting ? <Busy lang={lang} /> : t(lang, 'insExport')}
        </button>
      </div>

      {badRange && <p className="field-problem">{t(lang, 'insBadRange')}</p>}
      {exported && (
        <p className="archive-done" role="status" id="insights-export-done" dir="auto">
          {t(lang, 'insExportDone', { path: exported })}
        </p>
      )}
      <Failure message={exportFailure} />
      <Failure message={failure} id="insights-error" />

      {loading && !data && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> {t(lang, 'insLoading')}
        </p>
      )}

      {data && isEmpty(data) && (
        <div className="insights-empty" id="insights-empty">
          <p>{t(lang, 'insEmpty')}</p>
        </div>
      )}

      {data && !isEmpty(data) && (
        <div className="insights-grid" aria-busy={loading}>
          <Card title={t(lang, 'insPerDay')} id="insights-days" wide>
            <PerDayChart lang={lang} days={data.days} />
          </Card>

          <Card title={t(lang, 'insDelivery')} id="insights-delivery">
            <div className="big-numbers">
              <p>
                <strong className="big" id="insights-delivery-rate">
                  {formatRate(lang, data.delivery.deliveryRate)}
                </strong>
                <span className="muted">{t(lang, 'insDeliveryRate')}</span>
              </p>
              <p>
                <strong className="big" id="insights-read-rate">
                  {formatRate(lang, data.delivery.readRate)}
                </strong>
                <span className="muted">{t(lang, 'insReadRate')}</span>
              </p>
            </div>
            <p className="muted" id="insights-delivery-counts">
              {t(lang, 'insDeliveryCounts', {
                sent: nf.format(data.delivery.sent),
                delivered: nf.format(data.delivery.delivered),
                read: nf.format(data.delivery.read),
                failed: nf.format(data.delivery.failed),
              })}
            </p>
          </Card>

          <Card title={t(lang, 'insResponse')} id="insights-response">
            {data.medianFirstResponseMinutes === null ? (
              <p className="muted">{t(lang, 'insNoResponse')}</p>
            ) : (
              <>
                <p>
                  <strong className="big" id="insights-median">
                    {formatMinutes(lang, data.medianFirstResponseMinutes)}
                  </strong>
                </p>
                <p className="muted">{t(lang, 'insResponseHint')}</p>
              </>
            )}
          </Card>

          <Card title={t(lang, 'insCategories')} id="insights-categories" wide>
            {data.categories.some((c) => c.sends > 0) ? <CategoryChart lang={lang} categories={data.categories} /> : <p className="muted">{t(lang, 'insNoSends')}</p>}
          </Card>

          <Card title={t(lang, 'insFailures')} id="insights-failures">
            {data.failures.length > 0 ? <Failures lang={lang} failures={data.failures} /> : <p className="muted">{t(lang, 'insNoFailures')}</p>}
          </Card>

          <Card title={t(lang, 'insUnanswered')} id="insights-unanswered">
            {data.unanswered.length > 0 ? (
              <>
                <p className="muted">{t(lang, 'insUnansweredHint')}</p>
                <ul className="unanswered-list">
                  {data.unanswered.map((u) => {
                    const who = u.name ?? u.phone;
                    return (
                      <li key={`${u.conversationId}-${u.closedAt}`}>
                        <button
                          type="button"
                          className="unanswered"
                          aria-label={t(lang, 'insOpenConversation', { name: who })}
                          onClick={() => onOpenConversation(u.conversationId)}
                        >
                          <bdi className="who">{who}</bdi>
                          {u.name && (
                            <span className="muted" dir="ltr">
                              {u.phone}
                            </span>
                          )}
                          <span className="muted when">
                            {t(lang, 'insLastMessage', { time: when(u.lastInboundAt) })} · {t(lang, 'insClosedAt', { time: when(u.closedAt) })}
                          </span>
                        </button>
                      </li>
                    );
                  })}
                </ul>
              </>
            ) : (
              <p className="muted">{t(lang, 'insNoUnanswered')}</p>
            )}
          </Card>
        </div>
      )}
    </div>
  );
}
