// The power users' table: every server with its measurements, sortable, with per-row actions.
import { useTranslation } from 'react-i18next';
import type { Server } from '../../../shared/api.ts';
import { FAILURES } from '../../../shared/failures.ts';
import { countryName, dateTime, latency, percent, relativeTime } from '../format.ts';
import { SORT_KEYS, nextSort, sortServers } from '../views/servers-sort.ts';
import type { Sort, SortKey } from '../views/servers-sort.ts';
import { Sparkline } from './Sparkline.tsx';

export interface RowActions {
  pick(id: string): void;
  pin(id: string, pinned: boolean): void;
  remove(id: string): void;
}

interface Props {
  servers: readonly Server[];
  sort: Sort;
  onSort: (sort: Sort) => void;
  selected: ReadonlySet<string>;
  onSelect: (id: string, on: boolean) => void;
  actions: RowActions;
  busy: boolean;
}

const PROTOCOL_NAMES: Record<Server['protocol'], string> = {
  socks5: 'SOCKS5', http: 'HTTP', https: 'HTTPS', shadowsocks: 'Shadowsocks',
  trojan: 'Trojan', vless: 'VLESS', vmess: 'VMess', mtproto: 'MTProto', unsupported: '—',
};

/** Telegram's own (MTProto) and not-yet-spoken servers are listed, never used for the bridge. */
function usable(s: Server): boolean {
  return s.protocol !== 'unsupported' && s.protocol !== 'mtproto';
}

export function ServersTable({ servers, sort, onSort, selected, onSelect, actions, busy }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const rows = sortServers(servers, sort);

  const header = (key: SortKey) => {
    const active = sort.key === key;
    return (
      <th key={key} scope="col" className={key === 'label' ? 'server-name' : undefined} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="sort-button" onClick={() => onSort(nextSort(sort, key))}>
          {t(`servers.col.${key}`)}
          <span className="sort-mark" aria-hidden="true">{active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <div className="table-scroll" role="region" aria-label={t('servers.tableLabel')} tabIndex={0}>
      <table className="servers-table">
        <thead>
          <tr>
            <th scope="col" className="col-select"><span className="visually-hidden">{t('servers.col.select')}</span></th>
            {SORT_KEYS.map(header)}
            <th scope="col">{t('servers.col.problem')}</th>
            <th scope="col" className="col-actions"><span className="visually-hidden">{t('servers.col.actions')}</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} className={s.active ? 'row-active' : s.status === 'failed' ? 'row-failed' : s.status === 'testing' ? 'row-testing' : undefined}
              aria-busy={s.status === 'testing' || undefined}>
              <td className="col-select">
                <input type="checkbox" checked={selected.has(s.id)} aria-label={t('servers.selectOne', { name: s.label })}
                  onChange={(e) => onSelect(s.id, e.target.checked)} />
              </td>
              <th scope="row" className="server-name">
                <span className="server-label" title={s.label}>{s.label}</span>
                {s.status === 'testing' && <span className="badge badge-testing" role="status"><span className="spinner" aria-hidden="true" />{t('journeys.testing')}</span>}
                {s.active && <span className="badge badge-active">{t('servers.inUse')}</span>}
                {s.pinned && <span className="badge">{t('servers.pinned')}</span>}
              </th>
              <td>{s.needs ?? PROTOCOL_NAMES[s.protocol]}</td>
              <td>{countryName(lang, s.country) ?? '—'}</td>
              <td className="latency">
                <span className="latency-value">
                  {latency(t, s.latencyMs)}
                </span>
                <Sparkline samples={s.samples} />
              </td>
              <td>{percent(lang, s.successRate) ?? '—'}</td>
              <td className="col-tested">{s.status === 'testing' ? t('servers.testing') : (relativeTime(t, s.lastTested) ?? t('servers.never'))}</td>
              <td className="col-source">{s.publisher ?? t(`servers.origin.${s.origin}`)}</td>
              <td className="failure">
                {s.needs ? t('formats.needs', { name: s.needs }) : s.failure ? t(FAILURES[s.failure.kind].i18n) : ''}
                {s.protocol === 'mtproto' && <span className="badge">{t('formats.telegramOnly')}</span>}
                {s.insecureTls && <span className="badge badge-warn" title={t('formats.insecureHint')}>{t('formats.insecure')}</span>}
                {s.expired && <span className="badge badge-warn" title={t('expiry.hint', { since: dateTime(lang, s.expired.since), until: dateTime(lang, s.expired.usedUntil) })}>{t('expiry.badge')}</span>}
              </td>
              <td className="col-actions">
                <div className="row-actions" role="group" aria-label={t('journeys.actionsFor', { name: s.label })}>
                  <button type="button" className="button button-small" disabled={busy || s.active || !usable(s)}
                    onClick={() => actions.pick(s.id)} aria-label={t('servers.useNamed', { name: s.label })}>
                    {t('servers.use')}
                  </button>
                  <button type="button" className="button button-small" disabled={busy || !usable(s)} aria-pressed={s.pinned}
                    onClick={() => actions.pin(s.id, !s.pinned)} aria-label={t('servers.pinNamed', { name: s.label })}>
                    {s.pinned ? t('journeys.unpin') : t('journeys.pin')}
                  </button>
                  {s.origin !== 'publisher' && (
                    <button type="button" className="button button-small button-danger" disabled={busy}
                      onClick={() => actions.remove(s.id)} aria-label={t('servers.removeNamed', { name: s.label })}>
                      {t('servers.remove')}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
