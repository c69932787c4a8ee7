// What happened to pasted servers of one's own (links, subscriptions, configs): how many were added,
// how many are kept but need a protocol Porthole doesn't speak yet, and each line that could not be
// read, with its reason.
import { useTranslation } from 'react-i18next';
import type { ImportOutcome, ImportProblem } from '../../../shared/api.ts';

const SHOWN = 20;

type Added = Extract<ImportOutcome, { kind: 'added' }>;

export function OwnServersAdded({ outcome }: { outcome: Added }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="note-title">{t('formats.addedOwn', { count: outcome.added })}</p>
      {(outcome.already ?? 0) > 0 && <p>{t('formats.alreadyThere', { count: outcome.already })}</p>}
      {(outcome.unsupported ?? 0) > 0 && <p>{t('formats.keptUnsupported', { count: outcome.unsupported })}</p>}
      <p>{t('formats.testHint')}</p>
    </>
  );
}

export function ImportProblems({ problems }: { problems: readonly ImportProblem[] | undefined }) {
  const { t } = useTranslation();
  if (!problems || problems.length === 0) return null;
  return (
    <div className="import-problems">
      <p className="note-title">{t('formats.problemsTitle', { count: problems.length })}</p>
      <ul>
        {problems.slice(0, SHOWN).map((p, i) => (
          <li key={i}>
            {p.line !== null && <span className="problem-line">{t('formats.line', { line: p.line })} </span>}
            <span dir="ltr" className="problem-message">{p.message.replace(/^line \d+(?: \([^)]*\))?: /, '')}</span>
          </li>
        ))}
      </ul>
      {problems.length > SHOWN && <p>{t('formats.moreProblems', { count: problems.length - SHOWN })}</p>}
    </div>
  );
}
