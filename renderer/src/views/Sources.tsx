// Sources: where lists come from (channels) and who signs them (publishers).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Channel, Publisher } from '../../../shared/api.ts';
import { useApi, useSnapshot } from '../context.tsx';
import { dateTime, humanError, listVersion, relativeTime } from '../format.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { useAction } from '../components/use-action.ts';

const GOOD: ReadonlyArray<Channel['status']> = ['ok', 'not-modified'];

function PublisherCard({ p, onUntrust, busy }: { p: Publisher; onUntrust: () => void; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const lang = i18n.language;
  return (
    <li className="publisher">
      <h3>{p.name} <span className={`badge ${p.trusted ? 'badge-active' : 'badge-warn'}`}>
        {p.trusted ? t('sources.trusted') : t('sources.notTrusted')}</span></h3>
      <dl className="facts">
        <dt>{t('sources.version')}</dt><dd>{listVersion(t, lang, p.listVersion)}</dd>
        <dt>{t('sources.published')}</dt><dd>{relativeTime(t, p.publishedAt) ?? '—'}</dd>
        <dt>{t('sources.expires')}</dt><dd>{dateTime(lang, p.expires) ?? '—'}</dd>
        <dt>{t('sources.servers')}</dt><dd>{p.serverCount}</dd>
        <dt>{t('sources.words')}</dt><dd className="words">{p.words.join(' · ')}</dd>
      </dl>
      {p.trusted && (confirming ? (
        <div className="button-row" role="group" aria-label={t('sources.untrustConfirm', { name: p.name })}>
          <span>{t('sources.untrustConfirm', { name: p.name })}</span>
          <button type="button" className="button button-danger" disabled={busy} onClick={onUntrust}>{t('sources.untrustYes')}</button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>{t('common.cancel')}</button>
        </div>
      ) : (
        <button type="button" className="button button-small" onClick={() => setConfirming(true)}>{t('sources.untrust')}</button>
      ))}
    </li>
  );
}

export function Sources() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const api = useApi();
  const { sources } = useSnapshot();
  const action = useAction();
  if (!sources) return null;
  const ok = sources.channels.filter((c) => GOOD.includes(c.status)).length;

  return (
    <div className="sources">
      <h1>{t('sources.title')}</h1>
      <div className="toolbar">
        <button type="button" className="button button-primary" disabled={action.busy || sources.refreshing}
          onClick={() => void action.run(() => api.refreshSources())}>
          {sources.refreshing ? t('sources.refreshing') : t('sources.refresh')}
        </button>
        <span role="status">{t('sources.summary', { ok, total: sources.channels.length })}</span>
      </div>
      <ErrorNote error={action.error} />

      <h2>{t('sources.publishersTitle')}</h2>
      <p className="hint">{t('sources.publishersHint')}</p>
      {sources.publishers.length === 0 ? <p className="note">{t('sources.noPublishers')}</p> : (
        <ul className="publishers">
          {sources.publishers.map((p) => (
            <PublisherCard key={p.fingerprint} p={p} busy={action.busy}
              onUntrust={() => void action.run(() => api.untrust({ fingerprint: p.fingerprint }))} />
          ))}
        </ul>
      )}

      <h2>{t('sources.channelsTitle')}</h2>
      <div className="table-scroll" role="region" aria-label={t('sources.channelsTitle')} tabIndex={0}>
        <table className="channels-table">
          <thead>
            <tr>
              <th scope="col">{t('sources.col.kind')}</th>
              <th scope="col">{t('sources.col.location')}</th>
              <th scope="col">{t('sources.col.status')}</th>
              <th scope="col">{t('sources.col.list')}</th>
              <th scope="col">{t('sources.col.checked')}</th>
            </tr>
          </thead>
          <tbody>
            {sources.channels.map((c) => (
              <tr key={c.id}>
                <td>{t(`channelKind.${c.kind}`)}</td>
                <th scope="row" className="location" dir="ltr">{c.location}</th>
                <td>
                  <span className={`channel-status status-${GOOD.includes(c.status) ? 'good' : c.status === 'pending' ? 'pending' : 'bad'}`}>
                    {t(`channelStatus.${c.status}`)}
                  </span>
                  {c.message && (humanError(t, c.message) === c.message
                    ? <span className="channel-message" lang="en">{c.message}</span>
                    : <span className="channel-message" title={c.message}>{humanError(t, c.message)}</span>)}
                </td>
                <td>{c.listVersion === null ? '—' : t('sources.listInfo', {
                  version: listVersion(t, lang, c.listVersion), age: relativeTime(t, c.publishedAt) ?? '—', publisher: c.publisher ?? '—' })}</td>
                <td>{relativeTime(t, c.lastChecked) ?? t('servers.never')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
