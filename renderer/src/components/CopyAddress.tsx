// The bridge's address with a copy button: what to set by hand in any app when opening it for
// someone did not work (or for apps Porthole cannot open).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function CopyAddress({ address }: { address: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(address);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <p className="copy-address">
      <code dir="ltr">{address}</code>{' '}
      <button type="button" className="button" onClick={() => void copy()}>{t('resilience.copy')}</button>
      {copied && <span role="status"> {t('resilience.copied')}</span>}
    </p>
  );
}
