// The connection state in plain words, shared by Home and the header.
import type { TFunction } from 'i18next';
import type { State } from '../../../shared/api.ts';

export function headline(state: State, t: TFunction): string {
  switch (state.phase) {
    case 'idle':
      return t('status.idle');
    case 'searching':
      return t('status.searching');
    case 'connected':
      if (!state.current) return t('status.connectedPlain');
      return state.current.latencyMs === null
        ? t('status.connectedThrough', { name: state.current.label })
        : t('status.connectedThroughMs', { name: state.current.label, ms: Math.round(state.current.latencyMs) });
    case 'offline':
      return t('status.offline');
  }
}

export function detail(state: State, t: TFunction): string {
  switch (state.phase) {
    case 'idle':
      return t('status.idleDetail');
    case 'searching':
      return state.progress.total > 0
        ? t('status.tested', { tested: state.progress.tested, total: state.progress.total })
        : t('status.fetchingLists');
    case 'connected':
      if (!state.current) return '';
      return state.current.reason === 'degraded' ? t('resilience.reasonDegraded') : t(`reason.${state.current.reason}`);
    case 'offline':
      return t(`offline.${state.offlineReason ?? 'all-failed'}`);
  }
}
