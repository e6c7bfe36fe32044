/**
 * A tiny builder for QBO's query language. Values are always quoted and escaped here, never by callers,
 * so a customer called O'Brien cannot break (or widen) a lookup.
 */
export type QueryScalar = string | number | boolean;
type Operator = '=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN';

type Condition =
  | { readonly field: string; readonly op: 'IN'; readonly values: readonly QueryScalar[] }
  | { readonly field: string; readonly op: Exclude<Operator, 'IN'>; readonly value: QueryScalar };

interface QueryState {
  readonly entity: string;
  readonly count: boolean;
  readonly conditions: readonly Condition[];
  readonly order: readonly { field: string; direction: 'ASC' | 'DESC' }[];
  readonly startPosition: number | undefined;
  readonly maxResults: number | undefined;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
export const QBO_MAX_RESULTS = 1000;

/** Escape a string for use inside QBO single quotes: backslash first, then the quote. */
export function escapeQueryString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

function literal(value: QueryScalar): string {
  if (typeof value === 'string') return `'${escapeQueryString(value)}'`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (!Number.isFinite(value)) throw new RangeError(`Query value must be finite, got ${value}`);
  return String(value);
}

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`Not a QBO field or entity name: ${JSON.stringify(name)}`);
  return name;
}

export class QboQuery {
  readonly #state: QueryState;

  private constructor(state: QueryState) {
    this.#state = Object.freeze(state);
  }

  static select(entity: string): QboQuery {
    return new QboQuery({
      entity: identifier(entity),
      count: false,
      conditions: [],
      order: [],
      startPosition: undefined,
      maxResults: undefined,
    });
  }

  static count(entity: string): QboQuery {
    return QboQuery.select(entity).#with({ count: true });
  }

  get entity(): string {
    return this.#state.entity;
  }

  get isCount(): boolean {
    return this.#state.count;
  }

  get pageSize(): number | undefined {
    return this.#state.maxResults;
  }

  get start(): number | undefined {
    return this.#state.startPosition;
  }

  /** QBO has no OR: every condition is ANDed. */
  where(field: string, op: Exclude<Operator, 'IN'>, value: QueryScalar): QboQuery;
  where(field: string, op: 'IN', values: readonly QueryScalar[]): QboQuery;
  where(field: string, op: Operator, value: QueryScalar | readonly QueryScalar[]): QboQuery {
    identifier(field);
    let condition: Condition;
    if (op === 'IN') {
      if (!isScalarList(value) || value.length === 0) throw new RangeError('IN needs at least one value');
      condition = { field, op, values: value };
    } else {
      if (isScalarList(value)) throw new RangeError(`${op} needs a single value`);
      if (op === 'LIKE' && typeof value !== 'string') throw new RangeError('LIKE needs a string pattern');
      condition = { field, op, value };
    }
    return this.#with({ conditions: [...this.#state.conditions, condition] });
  }

  orderBy(field: string, direction: 'ASC' | 'DESC' = 'ASC'): QboQuery {
    return this.#with({ order: [...this.#state.order, { field: identifier(field), direction }] });
  }

  /** 1-based, as QBO counts. */
  startPosition(position: number): QboQuery {
    if (!Number.isInteger(position) || position < 1) throw new RangeError('startPosition is 1-based');
    return this.#with({ startPosition: position });
  }

  maxResults(count: number): QboQuery {
    if (!Number.isInteger(count) || count < 1 || count > QBO_MAX_RESULTS) {
      throw new RangeError(`maxResults must be 1..${QBO_MAX_RESULTS}`);
    }
    return this.#with({ maxResults: count });
  }

  toString(): string {
    const s = this.#state;
    const parts = [`select ${s.count ? 'count(*)' : '*'} from ${s.entity}`];
    if (s.conditions.length > 0) {
      parts.push(`where ${s.conditions.map(renderCondition).join(' and ')}`);
    }
    if (s.order.length > 0) {
      parts.push(`orderby ${s.order.map((o) => `${o.field} ${o.direction}`).join(', ')}`);
    }
    if (s.startPosition !== undefined) parts.push(`startposition ${s.startPosition}`);
    if (s.maxResults !== undefined) parts.push(`maxresults ${s.maxResults}`);
    return parts.join(' ');
  }

  #with(patch: Partial<QueryState>): QboQuery {
    return new QboQuery({ ...this.#state, ...patch });
  }
}

function isScalarList(value: QueryScalar | readonly QueryScalar[]): value is readonly QueryScalar[] {
  return Array.isArray(value);
}

function renderCondition(c: Condition): string {
  if (c.op === 'IN') return `${c.field} in (${c.values.map(literal).join(', ')})`;
  return `${c.field} ${c.op === 'LIKE' ? 'like' : c.op} ${literal(c.value)}`;
}
