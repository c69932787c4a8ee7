// Title, a short connection status and the navigation between screens.
import { useTranslation } from 'react-i18next';
import type { State } from '../../../shared/api.ts';
import { VIEWS } from '../views/views.ts';
import type { View } from '../views/views.ts';

export function Header({ view, state, onNavigate }: { view: View; state: State | null; onNavigate: (v: View) => void }) {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Porthole</span>
        {state && <span className={`phase-pill phase-${state.phase}`}>{t(`phase.${state.phase}`)}</span>}
      </div>
      <nav aria-label={t('nav.label')}>
        <ul className="nav-list">
          {VIEWS.map((v) => (
            <li key={v}>
              <a href={`#/${v}`} className="nav-link" aria-current={v === view ? 'page' : undefined}
                onClick={(e) => { e.preventDefault(); onNavigate(v); }}>
                {t(`nav.${v}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
