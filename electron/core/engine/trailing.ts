// Runs a function at once or at most once per interval: soon() schedules one trailing run (calls in
// between fold into it), now() runs it at once and drops the pending one, cancelPending() drops the
// pending run (the caller just did the work), cancel() drops it for good.
export class Trailing {
  private timer: NodeJS.Timeout | null = null;
  private cancelled = false;
  private readonly ms: number;
  private readonly fn: () => void;

  constructor(ms: number, fn: () => void) {
    this.ms = ms;
    this.fn = fn;
  }

  soon(): void {
    if (this.timer || this.cancelled) return;
    this.timer = setTimeout(() => this.now(), this.ms);
    this.timer.unref();
  }

  now(): void {
    this.cancelPending();
    if (!this.cancelled) this.fn();
  }

  cancel(): void {
    this.cancelled = true;
    this.cancelPending();
  }

  cancelPending(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
