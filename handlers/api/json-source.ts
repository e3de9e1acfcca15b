/**
 * What `JSON.parse` forgets about a document: keys that appear twice in one object (the
 * last one silently wins) and the exact text of each number (`19.990000001` and `19.99`
 * can be the same double). Reads text that `JSON.parse` already accepted, so it checks
 * structure only as far as it needs to walk it.
 */
import { formatPath, type FieldError } from '../shared/order-schema';

export interface JsonSource {
  /** Every key repeated within one object, by path (`items[0].price`). */
  readonly duplicateKeys: FieldError[];
  /** The source text of every number, by path (`items[0].price` → `19.99`). */
  readonly numberText: ReadonlyMap<string, string>;
}

const WHITESPACE = /[ \t\n\r]*/y;
const STRING = /"(?:[^"\\]|\\.)*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

class Scanner {
  private at = 0;
  readonly duplicateKeys: FieldError[] = [];
  readonly numberText = new Map<string, string>();

  constructor(private readonly text: string) {}

  private match(pattern: RegExp): string {
    pattern.lastIndex = this.at;
    const m = pattern.exec(this.text);
    if (!m) throw new SyntaxError(`unexpected JSON at position ${this.at}`);
    this.at = pattern.lastIndex;
    return m[0];
  }

  private skip(): void {
    this.match(WHITESPACE);
  }

  private expect(char: string): boolean {
    this.skip();
    if (this.text[this.at] !== char) return false;
    this.at += 1;
    return true;
  }

  value(path: Array<string | number>): void {
    this.skip();
    const c = this.text[this.at];
    if (c === '{') this.object(path);
    else if (c === '[') this.array(path);
    else if (c === '"') this.match(STRING);
    else if (c === '-' || (c >= '0' && c <= '9')) this.numberText.set(formatPath(path), this.match(NUMBER));
    else this.match(LITERAL);
  }

  private object(path: Array<string | number>): void {
    this.at += 1;
    if (this.expect('}')) return;
    const seen = new Set<string>();
    do {
      this.skip();
      const key = JSON.parse(this.match(STRING)) as string;
      if (seen.has(key)) this.duplicateKeys.push({ path: formatPath([...path, key]), message: 'duplicate key' });
      seen.add(key);
      this.expect(':');
      this.value([...path, key]);
    } while (this.expect(','));
    this.expect('}');
  }

  private array(path: Array<string | number>): void {
    this.at += 1;
    if (this.expect(']')) return;
    let index = 0;
    do this.value([...path, index++]);
    while (this.expect(','));
    this.expect(']');
  }
}

/** Duplicate keys and number texts of a document `JSON.parse` accepts. */
export function readJsonSource(text: string): JsonSource {
  const scanner = new Scanner(text);
  scanner.value([]);
  return { duplicateKeys: scanner.duplicateKeys, numberText: scanner.numberText };
}
