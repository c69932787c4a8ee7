// What happened to a pasted code, in plain words, with the next step.
import { useTranslation } from 'react-i18next';
import type { ImportOutcome } from '../../../shared/api.ts';
import { dateTime } from '../format.ts';
import { ImportProblems, OwnServersAdded } from './ServersImported.tsx';

const PROBLEM_KEYS = { 'damaged': 'damaged', 'cut-off': 'cutOff', 'wrong-case': 'wrongCase', 'newer-version': 'newerVersion' } as const;

interface Props {
  outcome: ImportOutcome;
  busy: boolean;
  onTrust: (fingerprint: string) => void;
  onCancel: () => void;
  onHome: () => void;
}

export function ImportResult({ outcome, busy, onTrust, onCancel, onHome }: Props) {
  const { t, i18n } = useTranslation();
  switch (outcome.kind) {
    case 'added':
      return (
        <div className={`note ${outcome.problems?.length ? 'note-warn' : 'note-ok'}`} role="status">
          {outcome.own ? <OwnServersAdded outcome={outcome} /> : <p className="note-title">{t('import.added', { count: outcome.added })}</p>}
          {outcome.publisher && <p>{t('import.fromPublisher', { name: outcome.publisher })}</p>}
          <ImportProblems problems={outcome.problems} />
          <button type="button" className="button" onClick={onHome}>{t('import.goHome')}</button>
        </div>
      );
    case 'already-added':
      return (
        <div className="note note-ok" role="status">
          <p className="note-title">{t('import.alreadyAdded')}</p>
          <button type="button" className="button" onClick={onHome}>{t('import.goHome')}</button>
        </div>
      );
    case 'damaged': {
      const key = PROBLEM_KEYS[outcome.problem ?? 'damaged'];
      return (
        <div className="note note-error" role="alert" data-problem={outcome.problem ?? 'damaged'}>
          <p className="note-title">{t(`journeys.problem.${key}`)}</p>
          <p>{t(`journeys.problem.${key}Hint`)}</p>
        </div>
      );
    }
    case 'expired':
      return (
        <div className="note note-warn" role="alert">
          <p className="note-title">{t('import.expired', { date: dateTime(i18n.language, outcome.expiredAt) })}</p>
          <p>{t('import.expiredHint')}</p>
        </div>
      );
    case 'invalid':
      if (outcome.problems) {
        // Servers were recognised (links, a subscription, a config) but none could be added.
        return (
          <div className="note note-error" role="alert">
            <p className="note-title">{t('formats.noneAdded')}</p>
            {outcome.problems.length > 0 ? <ImportProblems problems={outcome.problems} /> : <p dir="ltr">{outcome.message}</p>}
          </div>
        );
      }
      return (
        <div className="note note-error" role="alert">
          <p className="note-title">{t('import.invalid')}</p>
          <p>{t('import.invalidHint')}</p>
          <p>{t('formats.alsoReads')}</p>
        </div>
      );
    case 'needs-trust':
      return (
        <div className="note note-warn trust-ask" role="alertdialog" aria-labelledby="trust-title" aria-describedby="trust-desc">
          <p id="trust-title" className="note-title">
            {outcome.publisher.nameDeclared ? t('journeys.trustNamed', { name: outcome.publisher.name }) : t('journeys.trustUnnamed')}
          </p>
          {outcome.publisher.nameDeclared && <p className="note-detail">{t('journeys.trustNamedNote')}</p>}
          <p className="note-detail publisher-id">{t('journeys.trustId', { id: outcome.publisher.id ?? outcome.publisher.name })}</p>
          <p id="trust-desc">{t('journeys.trustHint', { count: outcome.serverCount })}</p>
          <ol className="fingerprint-words" aria-label={t('journeys.numbersLabel')} translate="no">
            {outcome.publisher.words.map((w, i) => <li key={i}>{w}</li>)}
          </ol>
          <div className="button-row">
            <button type="button" className="button button-primary" disabled={busy}
              onClick={() => onTrust(outcome.publisher.fingerprint)}>
              {t('journeys.trustAndAdd')}
            </button>
            <button type="button" className="button" onClick={onCancel}>{t('import.dontTrust')}</button>
          </div>
        </div>
      );
  }
}
