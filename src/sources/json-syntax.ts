// Where JSON text first goes wrong, and what was expected there. Only the error path runs
// this (the fast path is native JSON.parse): V8's own messages quote the text around the
// error, which may be a secret value, and differ between Node versions.

export interface JsonSyntaxError {
  /** Index (UTF-16 code unit) in the text where the problem is; text.length when it ended too soon. */
  readonly index: number;
  readonly expected: string;
  /** What stands there instead, described without quoting the input. */
  readonly found: string;
}

/** The first syntax error in `text` (one JSON value, surrounding whitespace allowed), or undefined. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const checker = new Checker(text);
  try {
    checker.skipSpace();
    checker.value(0);
    checker.skipSpace();
    if (checker.at < text.length) checker.fail('the end of the JSON value');
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxFound) return error.detail;
    throw error;
  }
}

/** A few words for the character at `index`: never more than that one character of input. */
export function describeCharAt(text: string, index: number): string {
  if (index >= text.length) return 'the end of the input';
  const code = text.charCodeAt(index);
  if (code < 0x20 || code === 0x7f || code === 0xfffd) return `a control or binary byte (0x${code.toString(16).padStart(2, '0')})`;
  const char = text[index] ?? '';
  return `'${char}'`;
}

class SyntaxFound extends Error {
  constructor(readonly detail: JsonSyntaxError) {
    super(detail.expected);
  }
}

class Checker {
  at = 0;
  constructor(private readonly text: string) {}

  fail(expected: string): never {
    throw new SyntaxFound({ index: this.at, expected, found: describeCharAt(this.text, this.at) });
  }

  skipSpace(): void {
    const { text } = this;
    while (this.at < text.length) {
      const c = text.charCodeAt(this.at);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.at++;
      else break;
    }
  }

  value(depth: number): void {
    if (depth > 512) this.fail('at most 512 levels of nesting');
    const c = this.text[this.at];
    if (c === '{') this.object(depth);
    else if (c === '[') this.array(depth);
    else if (c === '"') this.string();
    else if (c === 't') this.literal('true');
    else if (c === 'f') this.literal('false');
    else if (c === 'n') this.literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else this.fail('a JSON value');
  }

  object(depth: number): void {
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    for (;;) {
      if (this.text[this.at] !== '"') this.fail('a property name in double quotes');
      this.string();
      this.skipSpace();
      if (this.text[this.at] !== ':') this.fail("':' after a property name");
      this.at++;
      this.skipSpace();
      this.value(depth + 1);
      this.skipSpace();
      const c = this.text[this.at];
      if (c === '}') {
        this.at++;
        return;
      }
      if (c !== ',') this.fail("',' or '}' after a property value");
      this.at++;
      this.skipSpace();
    }
  }

  array(depth: number): void {
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.skipSpace();
      const c = this.text[this.at];
      if (c === ']') {
        this.at++;
        return;
      }
      if (c !== ',') this.fail("',' or ']' after an array element");
      this.at++;
      this.skipSpace();
    }
  }

  string(): void {
    const { text } = this;
    this.at++;
    for (;;) {
      if (this.at >= text.length) this.fail("'\"' closing the string");
      const c = text.charCodeAt(this.at);
      if (c === 0x22) {
        this.at++;
        return;
      }
      if (c < 0x20) this.fail("'\"' closing the string (or an escaped control character)");
      if (c === 0x5c) {
        const next = text[this.at + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.at + 2, this.at + 6))) {
            this.at += 2;
            this.fail('four hex digits after \\u');
          }
          this.at += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) {
          this.at++;
          this.fail('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
        }
        this.at += 2;
        continue;
      }
      this.at++;
    }
  }

  literal(word: string): void {
    for (const char of word) {
      if (this.text[this.at] !== char) this.fail(`'${word}'`);
      this.at++;
    }
  }

  number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at, this.at + 64));
    if (!match || match[0] === '' || match[0] === '-') this.fail('a number');
    this.at += match[0].length;
  }
}
