/**
 * Parser for the QBO query language subset:
 *   SELECT * | COUNT(*) | f1, f2 FROM Entity [WHERE cond AND cond …] [ORDERBY f [ASC|DESC], …]
 *   [STARTPOSITION n] [MAXRESULTS n]
 * cond: field (= | < | > | <= | >= | != | LIKE) value, or field IN (v1, v2, …). Strings are single-quoted with
 * backslash escapes ('O\'Brien'). Keywords are case-insensitive. OR is rejected: QBO supports AND only.
 * Errors read like QBO's ("Encountered "x" at line 1, column n.") and become a 4000 QueryParserError fault.
 */
export type QueryValue = string | number | boolean;

export type Comparison = '=' | '<' | '>' | '<=' | '>=' | '!=' | 'LIKE';

export type Condition =
  | { field: string; op: Comparison; value: QueryValue }
  | { field: string; op: 'IN'; values: QueryValue[] };

export interface OrderBy {
  field: string;
  direction: 'ASC' | 'DESC';
}

export interface ParsedQuery {
  entity: string;
  select: { kind: 'all' } | { kind: 'count' } | { kind: 'fields'; fields: string[] };
  where: Condition[];
  orderBy: OrderBy[];
  startPosition: number | undefined;
  maxResults: number | undefined;
}

export type ParseResult = { ok: true; query: ParsedQuery } | { ok: false; error: string };

type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma' | 'star' | 'eof' | 'lexerror';

interface Token {
  kind: TokenKind;
  text: string;
  value: string;
  column: number;
}

class ParseError extends Error {}

/** Lexes everything up front but reports a lexical error only when the parser reaches it, as QBO's parser does. */
function tokenize(input: string): Token[] {
  try {
    return lex(input);
  } catch (err) {
    if (!(err instanceof LexError)) throw err;
    return [...err.tokens, { kind: 'lexerror', text: err.message, value: '', column: 0 }];
  }
}

class LexError extends Error {
  constructor(
    message: string,
    readonly tokens: Token[],
  ) {
    super(message);
  }
}

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    const column = i + 1;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === "'") {
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < input.length) {
        const c = input[j] ?? '';
        if (c === '\\' && j + 1 < input.length) {
          value += input[j + 1] ?? '';
          j += 2;
        } else if (c === "'") {
          closed = true;
          j += 1;
          break;
        } else {
          value += c;
          j += 1;
        }
      }
      if (!closed) throw new LexError(`Lexical error at line 1, column ${input.length + 1}.  Encountered: <EOF> after : "'${value}"`, tokens);
      tokens.push({ kind: 'string', text: input.slice(i, j), value, column });
      i = j;
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(input[i + 1] ?? ''))) {
      const match = /^-?\d+(\.\d+)?/.exec(input.slice(i));
      const text = match?.[0] ?? ch;
      tokens.push({ kind: 'number', text, value: text, column });
      i += text.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(input.slice(i));
      const text = match?.[0] ?? ch;
      tokens.push({ kind: 'ident', text, value: text, column });
      i += text.length;
    } else if (ch === '<' || ch === '>' || ch === '=' || ch === '!') {
      const two = input.slice(i, i + 2);
      const text = two === '<=' || two === '>=' || two === '!=' || two === '<>' ? two : ch;
      if (text === '!') throw new LexError(`Lexical error at line 1, column ${column}.  Encountered: "!"`, tokens);
      tokens.push({ kind: 'op', text, value: text === '<>' ? '!=' : text, column });
      i += text.length;
    } else if (ch === '(' || ch === ')' || ch === ',' || ch === '*') {
      const kind: TokenKind = ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : ch === ',' ? 'comma' : 'star';
      tokens.push({ kind, text: ch, value: ch, column });
      i += 1;
    } else {
      throw new LexError(`Lexical error at line 1, column ${column}.  Encountered: "${ch}" (${ch.charCodeAt(0)}), after : ""`, tokens);
    }
  }
  tokens.push({ kind: 'eof', text: '<EOF>', value: '', column: input.length + 1 });
  return tokens;
}

class Parser {
  #pos = 0;
  constructor(private readonly tokens: Token[]) {}

  get #current(): Token {
    const token = this.tokens[this.#pos] ?? this.tokens[this.tokens.length - 1]!;
    if (token.kind === 'lexerror') throw new ParseError(token.text);
    return token;
  }

  #next(): Token {
    const t = this.#current;
    if (t.kind !== 'eof') this.#pos += 1;
    return t;
  }

  #fail(expected: string): never {
    const t = this.#current;
    const shown = t.kind === 'eof' ? '<EOF>' : t.text;
    throw new ParseError(`Encountered " ${shown} " at line 1, column ${t.column}.\nWas expecting:\n    ${expected} ...`);
  }

  #isKeyword(word: string): boolean {
    const t = this.#current;
    return t.kind === 'ident' && t.value.toUpperCase() === word;
  }

  #expectKeyword(word: string): void {
    if (!this.#isKeyword(word)) this.#fail(`"${word.toLowerCase()}"`);
    this.#next();
  }

  #expect(kind: TokenKind, expected: string): Token {
    if (this.#current.kind !== kind) this.#fail(expected);
    return this.#next();
  }

  parse(): ParsedQuery {
    this.#expectKeyword('SELECT');
    const select = this.#parseSelect();
    this.#expectKeyword('FROM');
    const entity = this.#expect('ident', '<IDENTIFIER>').value;
    const where: Condition[] = [];
    const orderBy: OrderBy[] = [];
    let startPosition: number | undefined;
    let maxResults: number | undefined;
    if (this.#isKeyword('WHERE')) {
      this.#next();
      where.push(this.#parseCondition());
      while (this.#isKeyword('AND') || this.#isKeyword('OR')) {
        if (this.#isKeyword('OR')) throw new ParseError(`OR operator is not supported, use AND (column ${this.#current.column}).`);
        this.#next();
        where.push(this.#parseCondition());
      }
    }
    while (this.#current.kind !== 'eof') {
      if (this.#isKeyword('ORDERBY') || this.#isKeyword('ORDER')) {
        if (this.#isKeyword('ORDER')) {
          this.#next();
          this.#expectKeyword('BY');
        } else {
          this.#next();
        }
        orderBy.push(...this.#parseOrderBy());
      } else if (this.#isKeyword('STARTPOSITION')) {
        this.#next();
        startPosition = this.#parseInteger();
      } else if (this.#isKeyword('MAXRESULTS')) {
        this.#next();
        maxResults = this.#parseInteger();
      } else {
        this.#fail('<EOF> \n    <AND> ...\n    "maxresults" ...\n    "orderby" ...\n    "startposition"');
      }
    }
    return { entity, select, where, orderBy, startPosition, maxResults };
  }

  #parseSelect(): ParsedQuery['select'] {
    if (this.#current.kind === 'star') {
      this.#next();
      return { kind: 'all' };
    }
    if (this.#isKeyword('COUNT')) {
      this.#next();
      this.#expect('lparen', '"("');
      this.#expect('star', '"*"');
      this.#expect('rparen', '")"');
      return { kind: 'count' };
    }
    const fields = [this.#expect('ident', '"*" or <IDENTIFIER>').value];
    while (this.#current.kind === 'comma') {
      this.#next();
      fields.push(this.#expect('ident', '<IDENTIFIER>').value);
    }
    return { kind: 'fields', fields };
  }

  #parseCondition(): Condition {
    const field = this.#expect('ident', '<IDENTIFIER>').value;
    if (this.#isKeyword('IN')) {
      this.#next();
      this.#expect('lparen', '"("');
      const values = [this.#parseValue()];
      while (this.#current.kind === 'comma') {
        this.#next();
        values.push(this.#parseValue());
      }
      this.#expect('rparen', '")"');
      return { field, op: 'IN', values };
    }
    if (this.#isKeyword('LIKE')) {
      this.#next();
      const value = this.#parseValue();
      if (typeof value !== 'string') this.#failAt('<STRING>');
      return { field, op: 'LIKE', value };
    }
    const op = this.#expect('op', '"=" ...\n    "<" ...\n    ">" ...\n    "in" ...\n    "like"').value as Comparison;
    return { field, op, value: this.#parseValue() };
  }

  #failAt(expected: string): never {
    this.#pos -= 1;
    this.#fail(expected);
  }

  #parseValue(): QueryValue {
    const t = this.#current;
    if (t.kind === 'string') {
      this.#next();
      return t.value;
    }
    if (t.kind === 'number') {
      this.#next();
      return Number(t.value);
    }
    if (t.kind === 'ident' && (t.value.toLowerCase() === 'true' || t.value.toLowerCase() === 'false')) {
      this.#next();
      return t.value.toLowerCase() === 'true';
    }
    return this.#fail('<STRING> ...\n    <INTEGER>');
  }

  #parseOrderBy(): OrderBy[] {
    const result: OrderBy[] = [];
    do {
      if (result.length > 0) this.#next();
      const field = this.#expect('ident', '<IDENTIFIER>').value;
      let direction: OrderBy['direction'] = 'ASC';
      if (this.#isKeyword('ASC') || this.#isKeyword('DESC')) direction = this.#next().value.toUpperCase() as OrderBy['direction'];
      result.push({ field, direction });
    } while (this.#current.kind === 'comma');
    return result;
  }

  #parseInteger(): number {
    const t = this.#expect('number', '<INTEGER>');
    if (!/^\d+$/.test(t.value)) this.#failAt('<INTEGER>');
    return Number(t.value);
  }
}

export function parseQuery(input: string): ParseResult {
  if (input.trim() === '') return { ok: false, error: 'Encountered "<EOF>" at line 0, column 0.\nWas expecting:\n    "select" ...' };
  try {
    return { ok: true, query: new Parser(tokenize(input)).parse() };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, error: err.message };
    throw err;
  }
}
