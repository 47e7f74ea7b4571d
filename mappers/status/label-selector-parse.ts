// A label selector string ("app in (a,b),!canary,tier=web") → requirements selectorMatches evaluates (pure). The
// grammar, the lexer's tokens and the validation are those of Kubernetes' labels.Parse (apimachinery
// pkg/labels/selector.go), so what parses here is what the API server accepts:
//   selector    ::= "" | requirement ("," requirement)*
//   requirement ::= ["!"] KEY [ ("in" | "notin") "(" VALUE ("," VALUE)* ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
// KEY is a qualified name (optional DNS-subdomain prefix and "/", a name of ≤ 63 characters), VALUE a label value
// (≤ 63 characters, may be empty); ">" and "<" take an integer. No library: none small and kept on npm.
import type { LabelSelectorRequirement } from './label-selector.js';

type TokenType = 'id' | 'in' | 'notin' | '!' | '=' | '==' | '!=' | '>' | '<' | '(' | ')' | ',' | 'end';

interface Token {
  type: TokenType;
  text: string;
}

const SYMBOLS = new Set(['!', '!=', '=', '==', '>', '<', '(', ')', ',']);
const isSpecial = (ch: string) => '=!(),><'.includes(ch);
const isSpace = (ch: string) => ' \t\r\n'.includes(ch);

/** The tokens of `text`, as Kubernetes' lexer cuts them (the longest symbol; "in"/"notin" as keywords). */
function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (true) {
    while (i < text.length && isSpace(text[i]!)) i++;
    if (i >= text.length) {
      out.push({ type: 'end', text: '' });
      return out;
    }
    if (isSpecial(text[i]!)) {
      // Every special character is a symbol by itself, so this takes at least one.
      let sym = '';
      while (i < text.length && isSpecial(text[i]!) && SYMBOLS.has(sym + text[i]!)) sym += text[i++]!;
      out.push({ type: sym as TokenType, text: sym });
      continue;
    }
    const start = i;
    while (i < text.length && !isSpace(text[i]!) && !isSpecial(text[i]!)) i++;
    const word = text.slice(start, i);
    out.push({ type: word === 'in' || word === 'notin' ? word : 'id', text: word });
  }
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a qualified name (Kubernetes' IsQualifiedName), or undefined. */
function keyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a qualified name has at most one "/"';
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') return 'prefix part must be non-empty';
    if (prefix.length > 253) return 'prefix part must be no more than 253 characters';
    if (!DNS_SUBDOMAIN.test(prefix)) return 'prefix part must be a lowercase RFC 1123 subdomain';
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME.test(name))
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

/** Why `value` is not a label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (value !== '' && !NAME.test(value))
    return "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  /** The next token; where a value is expected, "in" and "notin" are plain words. */
  private peek(values = true): Token {
    const t = this.tokens[this.pos]!;
    return values && (t.type === 'in' || t.type === 'notin') ? { type: 'id', text: t.text } : t;
  }

  private next(values = true): Token {
    const t = this.peek(values);
    if (t.type !== 'end') this.pos++;
    return t;
  }

  parse(): LabelSelectorRequirement[] {
    const out: LabelSelectorRequirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'end') return out;
      if (t.type !== 'id' && t.type !== '!')
        throw new Error(`found '${t.text}', expected: !, identifier, or end of string`);
      out.push(this.requirement());
      const after = this.next();
      if (after.type === 'end') return out;
      if (after.type !== ',') throw new Error(`found '${after.text}', expected: ',' or end of string`);
      const following = this.peek();
      if (following.type !== 'id' && following.type !== '!')
        throw new Error(`found '${following.text}', expected: identifier after ','`);
    }
  }

  private requirement(): LabelSelectorRequirement {
    let t = this.next();
    const negated = t.type === '!';
    if (negated) t = this.next();
    if (t.type !== 'id') throw new Error(`found '${t.text}', expected: identifier`);
    const key = t.text;
    const bad = keyProblem(key);
    if (bad) throw new Error(`invalid label key "${key}": ${bad}`);
    const following = this.peek();
    if (negated) return { key, operator: 'DoesNotExist' };
    if (following.type === 'end' || following.type === ',') return { key, operator: 'Exists' };
    const op = this.next(false);
    switch (op.type) {
      case 'in':
      case 'notin':
        return this.checked(key, op.type === 'in' ? 'In' : 'NotIn', this.valueSet());
      case '=':
      case '==':
      case '!=':
        return this.checked(key, op.type === '!=' ? 'NotIn' : 'In', [this.exactValue()]);
      case '>':
      case '<': {
        const value = this.exactValue();
        // Kubernetes takes a 64-bit integer here (strconv.ParseInt).
        if (!/^[-+]?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
          throw new Error(`for '${op.type}' operator, the value must be an integer, got "${value}"`);
        return { key, operator: op.type === '>' ? 'Gt' : 'Lt', values: [value] };
      }
      default:
        throw new Error(`found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private checked(key: string, operator: 'In' | 'NotIn', values: string[]): LabelSelectorRequirement {
    for (const v of values) {
      const bad = labelValueProblem(v);
      if (bad) throw new Error(`invalid label value "${v}" for key "${key}": ${bad}`);
    }
    return { key, operator, values: [...new Set(values)].sort() };
  }

  /** A value after =, ==, !=, > or <: a word, or nothing (the empty value) before "," or the end. */
  private exactValue(): string {
    const t = this.peek();
    if (t.type === 'end' || t.type === ',') return '';
    this.next();
    if (t.type !== 'id') throw new Error(`found '${t.text}', expected: identifier`);
    return t.text;
  }

  /** "(" values ")"; as Kubernetes, "()" and empty places between commas are the empty value. */
  private valueSet(): string[] {
    const open = this.next();
    if (open.type !== '(') throw new Error(`found '${open.text}', expected: '('`);
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const t = this.next();
      if (t.type === 'id' && expectValue) {
        values.push(t.text);
        expectValue = false;
      } else if (t.type === ',') {
        if (expectValue) values.push('');
        expectValue = true;
      } else if (t.type === ')') {
        if (expectValue) values.push('');
        return values;
      } else
        throw new Error(
          `found '${t.text || 'end of string'}', expected: ${expectValue ? "',', ')' or identifier" : "',' or ')'"}`,
        );
    }
  }
}

/**
 * The requirements of a selector string (all must hold); an empty string has none. Throws Error saying what is
 * wrong where, as the API server would refuse it.
 */
export function parseLabelSelector(text: string): LabelSelectorRequirement[] {
  try {
    return new Parser(lex(text)).parse();
  } catch (err) {
    throw new Error(`unable to parse requirement: ${(err as Error).message}`, { cause: err });
  }
}
