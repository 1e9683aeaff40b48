import { StringDecoder } from 'node:string_decoder';

/** Longest line kept whole; a process writing megabytes without a newline must not grow memory. */
export const MAX_LINE_CHARS = 16_384;

/**
 * Cuts a byte stream into lines as chunks arrive. UTF-8 characters split across chunks are
 * decoded whole; `\r\n` ends a line like `\n`; a line longer than {@link MAX_LINE_CHARS} is
 * emitted in pieces of that size rather than buffered without bound.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    this.take(this.decoder.write(chunk));
  }

  /** The stream ended: the last line may have had no newline. */
  end(): void {
    this.take(this.decoder.end());
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }

  private take(text: string): void {
    let rest = this.partial + text;
    let newline: number;
    while ((newline = rest.indexOf('\n')) !== -1) {
      this.emit(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
    }
    // A trailing '\r' may be the first half of a '\r\n' still to come: never cut it off alone.
    while (rest.length > MAX_LINE_CHARS && !(rest.length === MAX_LINE_CHARS + 1 && rest.endsWith('\r'))) {
      this.onLine(rest.slice(0, MAX_LINE_CHARS));
      rest = rest.slice(MAX_LINE_CHARS);
    }
    this.partial = rest;
  }

  private emit(line: string): void {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    for (let start = 0; start < text.length || start === 0; start += MAX_LINE_CHARS) {
      this.onLine(text.slice(start, start + MAX_LINE_CHARS));
    }
  }
}
