// Servers: measurements, test all, pick/pin, own servers, sharing.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShareResult } from '../../../shared/api.ts';
import { useApi, useEngine, useSnapshot } from '../context.tsx';
import { AddServerForm } from '../components/AddServerForm.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ServersTable } from '../components/ServersTable.tsx';
import { SharePanel } from '../components/SharePanel.tsx';
import { useAction } from '../components/use-action.ts';
import type { Sort } from './servers-sort.ts';

export function Servers() {
  const { t } = useTranslation();
  const api = useApi();
  const { store } = useEngine();
  const { state, servers } = useSnapshot();
  const action = useAction();
  const [sort, setSort] = useState<Sort>({ key: 'latency', dir: 'asc' });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [share, setShare] = useState<{ result: ShareResult; count: number; ids: string[] } | null>(null);
  const progress = state?.progress;
  const working = servers.filter((s) => s.status === 'ok').length;
  const chosen = [...selected].filter((id) => servers.some((s) => s.id === id));

  const select = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const actions = {
    pick: (id: string) => void action.run(async () => store.putState(await api.pick({ id }))),
    pin: (id: string, pinned: boolean) =>
      void action.run(async () => store.putServer(await (pinned ? api.pin({ id }) : api.unpin({ id })))),
    remove: (id: string) => void action.run(async () => {
      await api.removeServer({ id });
      select(id, false);
    }),
  };
  const onShare = () => void action.run(async () => {
    setShare({ result: await api.shareServers({ ids: chosen }), count: chosen.length, ids: chosen });
  });

  return (
    <div className="servers">
      <h1>{t('servers.title')}</h1>
      <p className="hint">{t('servers.summary', { count: servers.length, working })}</p>
      <div className="toolbar">
        <button type="button" className="button button-primary" disabled={action.busy || progress?.running}
          onClick={() => void action.run(() => api.testAll())}>
          {t('servers.testAll')}
        </button>
        {progress && progress.total > 0 && (
          <div className="test-progress">
            <progress max={progress.total} value={progress.tested} aria-labelledby="test-progress-label" />
            <span id="test-progress-label">
              {progress.running ? t('status.tested', { tested: progress.tested, total: progress.total })
                : t('servers.testedDone', { total: progress.total })}
            </span>
          </div>
        )}
        <button type="button" className="button" disabled={action.busy || chosen.length === 0} onClick={onShare}>
          {t('servers.share', { count: chosen.length })}
        </button>
      </div>
      <ErrorNote error={action.error} />
      {share && <SharePanel share={share.result} count={share.count} ids={share.ids} onClose={() => setShare(null)} />}
      {servers.length === 0 ? (
        <p className="note">{t('servers.empty')}</p>
      ) : (
        <ServersTable servers={servers} sort={sort} onSort={setSort} selected={selected} onSelect={select}
          actions={actions} busy={action.busy} />
      )}
      <AddServerForm />
    </div>
  );
}
