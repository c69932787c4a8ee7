// What an expired list or code is worth: it keeps working (flagged, tried after fresh servers)
// for a grace period, because people may be offline for weeks; then it is dropped. The dates
// are shown to the person (`porthole lists`, the log) so the drop never comes as a surprise.

export const EXPIRED_GRACE_DAYS = 30;
const GRACE_MS = EXPIRED_GRACE_DAYS * 86400_000;

export interface ExpiryStatus {
  expired: boolean;
  /** When it stops being used (expiry + grace), ISO. */
  dropAt: string;
  dropped: boolean;
}

export function expiryStatus(expires: string, now: Date): ExpiryStatus {
  const at = Date.parse(expires);
  const dropAt = new Date(at + GRACE_MS);
  return { expired: at <= now.getTime(), dropAt: dropAt.toISOString(), dropped: dropAt.getTime() <= now.getTime() };
}
