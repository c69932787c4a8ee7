// Incremental parser for server-sent events: feed it decoded text chunks, get each event's data.
// Only `data:` lines matter to Porthole; comments (heartbeats) and other fields are ignored.
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private readonly onData: (data: string) => void;

  constructor(onData: (data: string) => void) {
    this.onData = onData;
  }

  push(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const sep = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      // A lone trailing \r may be the first half of \r\n: wait for more.
      if (sep === 1 && this.buffer[nl] === '\r' && nl === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(nl + sep);
      this.line(line);
    }
    if (this.buffer.length > 1_000_000) this.buffer = ''; // a runaway line: drop it
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length) this.onData(this.data.join('\n'));
      this.data = [];
    } else if (line.startsWith('data:')) {
      this.data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    }
  }
}
