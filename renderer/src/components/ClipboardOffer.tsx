// Offered once per copied code when the window gains focus (the shell decides when): use it or not.
import { useTranslation } from 'react-i18next';

export function ClipboardOffer({ onAccept, onDismiss }: { onAccept: () => void; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="offer" role="region" aria-label={t('offer.label')}>
      <p role="status">{t('offer.text')}</p>
      <div className="button-row">
        <button type="button" className="button button-primary" onClick={onAccept}>{t('offer.use')}</button>
        <button type="button" className="button" onClick={onDismiss}>{t('offer.dismiss')}</button>
      </div>
    </div>
  );
}
