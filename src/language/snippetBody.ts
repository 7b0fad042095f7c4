// Resolves VS Code snippet bodies (TextMate syntax) to plain text, so the scaffolder writes exactly what the
// `ais-*` snippets insert while typing: one source of truth in snippets/*.json.
// Supports tabstops ($1, ${1}), placeholders (${1:default}, nested), choices (${1|a,b|}), variables
// ($NAME, ${NAME:default}) and transforms (${1/regex/format/flags} with $1, ${1:/pascalcase}, ${1:+if}, …).
// Pure: no vscode import.

export interface SnippetValues {
  /** Values for numbered tabstops; a tabstop without a value gets its placeholder's default (or first choice). */
  placeholders?: Record<number, string>;
  /** Values for variables such as TM_FILENAME_BASE; unknown variables fall back to their default text. */
  variables?: Record<string, string>;
}

interface FormatPart {
  group: number;
  shorthand?: string;
  ifValue?: string;
  elseValue?: string;
}
interface Transform {
  regex: string;
  format: (string | FormatPart)[];
  flags: string;
}
type SnippetNode =
  | { type: 'text'; value: string }
  | { type: 'tabstop'; index: number; transform?: Transform }
  | { type: 'placeholder'; index: number; children: SnippetNode[] }
  | { type: 'choice'; index: number; options: string[] }
  | { type: 'variable'; name: string; children?: SnippetNode[]; transform?: Transform };

export class SnippetSyntaxError extends Error {}

class Parser {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly strict: boolean,
  ) {}

  parse(): SnippetNode[] {
    const nodes = this.parseAny(false);
    if (this.pos < this.src.length) this.fail('unexpected "}"');
    return nodes;
  }

  private fail(what: string): never {
    throw new SnippetSyntaxError(`Snippet syntax error at offset ${this.pos}: ${what}`);
  }

  /** Text and markers up to the end, or up to an unescaped `}` when inside a placeholder. */
  private parseAny(insideBraces: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = () => {
      if (text) {
        nodes.push({ type: 'text', value: text });
        text = '';
      }
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && '$}\\'.includes(this.src[this.pos + 1] ?? '')) {
        text += this.src[this.pos + 1];
        this.pos += 2;
      } else if (c === '$') {
        const start = this.pos;
        const marker = this.parseDollar();
        if (marker) {
          flush();
          nodes.push(marker);
          continue;
        }
        if (this.strict && this.src[start + 1] === '{') {
          this.pos = start;
          this.fail('"${" that does not start a valid tabstop, placeholder or variable (escape a literal $ as \\$)');
        }
        this.pos = start + 1;
        text += '$';
      } else if (c === '}' && insideBraces) {
        break;
      } else {
        text += c;
        this.pos++;
      }
    }
    flush();
    return nodes;
  }

  /** At a `$`: returns the marker, or undefined (position undefined) when it is a literal `$`. */
  private parseDollar(): SnippetNode | undefined {
    this.pos++;
    const int = this.match(/^\d+/);
    if (int !== undefined) return { type: 'tabstop', index: Number(int) };
    const name = this.match(/^[_a-zA-Z][_a-zA-Z0-9]*/);
    if (name !== undefined) return { type: 'variable', name };
    if (this.src[this.pos] !== '{') return undefined;
    this.pos++;
    const index = this.match(/^\d+/);
    if (index !== undefined) return this.parseNumbered(Number(index));
    const varName = this.match(/^[_a-zA-Z][_a-zA-Z0-9]*/);
    if (varName !== undefined) return this.parseVariable(varName);
    return undefined;
  }

  private parseNumbered(index: number): SnippetNode | undefined {
    const c = this.src[this.pos];
    if (c === '}') {
      this.pos++;
      return { type: 'tabstop', index };
    }
    if (c === ':') {
      this.pos++;
      const children = this.parseAny(true);
      return this.eat('}') ? { type: 'placeholder', index, children } : undefined;
    }
    if (c === '|') {
      this.pos++;
      const options = this.parseChoices();
      return options && this.eat('}') ? { type: 'choice', index, options } : undefined;
    }
    if (c === '/') {
      const transform = this.parseTransform();
      return transform && this.eat('}') ? { type: 'tabstop', index, transform } : undefined;
    }
    return undefined;
  }

  private parseVariable(name: string): SnippetNode | undefined {
    const c = this.src[this.pos];
    if (c === '}') {
      this.pos++;
      return { type: 'variable', name };
    }
    if (c === ':') {
      this.pos++;
      const children = this.parseAny(true);
      return this.eat('}') ? { type: 'variable', name, children } : undefined;
    }
    if (c === '/') {
      const transform = this.parseTransform();
      return transform && this.eat('}') ? { type: 'variable', name, transform } : undefined;
    }
    return undefined;
  }

  private parseChoices(): string[] | undefined {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && ',|\\'.includes(this.src[this.pos + 1] ?? '')) {
        current += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === ',') {
        options.push(current);
        current = '';
        this.pos++;
        continue;
      }
      if (c === '|') {
        options.push(current);
        this.pos++;
        return options;
      }
      current += c;
      this.pos++;
    }
    return undefined;
  }

  /** `/regex/format/flags` (the closing `}` is left for the caller). */
  private parseTransform(): Transform | undefined {
    this.pos++; // the first '/'
    const regex = this.readUntilSlash();
    if (regex === undefined) return undefined;
    const format: (string | FormatPart)[] = [];
    let text = '';
    for (;;) {
      if (this.pos >= this.src.length) return undefined;
      const c = this.src[this.pos];
      if (c === '/') {
        this.pos++;
        break;
      }
      if (c === '\\' && '/$\\'.includes(this.src[this.pos + 1] ?? '')) {
        text += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '$') {
        const part = this.parseFormatPart();
        if (part) {
          if (text) {
            format.push(text);
            text = '';
          }
          format.push(part);
          continue;
        }
      }
      text += c;
      this.pos++;
    }
    if (text) format.push(text);
    const flags = this.match(/^[a-z]*/) ?? '';
    return { regex, format, flags };
  }

  private parseFormatPart(): FormatPart | undefined {
    const start = this.pos;
    this.pos++;
    const bare = this.match(/^\d+/);
    if (bare !== undefined) return { group: Number(bare) };
    if (this.eat('{')) {
      const group = this.match(/^\d+/);
      if (group !== undefined) {
        if (this.eat('}')) return { group: Number(group) };
        if (this.eat(':')) {
          const shorthand = this.match(/^\/(upcase|downcase|capitalize|camelcase|pascalcase)\}/);
          if (shorthand !== undefined) return { group: Number(group), shorthand: shorthand.slice(1, -1) };
          if (this.eat('+')) {
            const ifValue = this.readFormatText('}');
            if (ifValue !== undefined && this.eat('}')) return { group: Number(group), ifValue };
          } else if (this.eat('?')) {
            const ifValue = this.readFormatText(':');
            if (ifValue !== undefined && this.eat(':')) {
              const elseValue = this.readFormatText('}');
              if (elseValue !== undefined && this.eat('}')) return { group: Number(group), ifValue, elseValue };
            }
          } else {
            this.eat('-');
            const elseValue = this.readFormatText('}');
            if (elseValue !== undefined && this.eat('}')) return { group: Number(group), elseValue };
          }
        }
      }
    }
    this.pos = start;
    return undefined;
  }

  private readFormatText(stop: string): string | undefined {
    let out = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && this.pos + 1 < this.src.length) {
        out += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === stop) return out;
      out += c;
      this.pos++;
    }
    return undefined;
  }

  private readUntilSlash(): string | undefined {
    let out = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && this.src[this.pos + 1] === '/') {
        out += '/';
        this.pos += 2;
        continue;
      }
      if (c === '/') {
        this.pos++;
        return out;
      }
      out += c;
      this.pos++;
    }
    return undefined;
  }

  private match(re: RegExp): string | undefined {
    const m = re.exec(this.src.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private eat(s: string): boolean {
    if (this.src.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
}

export function parseSnippet(body: string | string[], options: { strict?: boolean } = {}): SnippetNode[] {
  return new Parser(Array.isArray(body) ? body.join('\n') : body, options.strict ?? false).parse();
}

function words(value: string): string[] {
  return value.match(/[a-z0-9]+/gi) ?? [];
}

function applyShorthand(value: string, shorthand: string): string {
  switch (shorthand) {
    case 'upcase':
      return value.toUpperCase();
    case 'downcase':
      return value.toLowerCase();
    case 'capitalize':
      return value ? value[0].toUpperCase() + value.slice(1) : '';
    case 'pascalcase':
      return (
        words(value)
          .map((w) => w[0].toUpperCase() + w.slice(1))
          .join('') || value
      );
    case 'camelcase':
      return (
        words(value)
          .map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1)))
          .join('') || value
      );
    default:
      return value;
  }
}

function applyTransform(value: string, t: Transform): string {
  return value.replace(new RegExp(t.regex, t.flags), (...args: unknown[]) => {
    // (match, p1, …, pN, offset, string[, namedGroups]): the captures end where the numeric offset starts
    const offsetAt = args.findIndex((a, i) => i > 0 && typeof a === 'number');
    const groups = args.slice(0, offsetAt) as (string | undefined)[];
    return t.format
      .map((part) => {
        if (typeof part === 'string') return part;
        const g = groups[part.group] ?? '';
        if (part.shorthand) return applyShorthand(g, part.shorthand);
        if (g && part.ifValue !== undefined) return part.ifValue;
        if (!g && part.elseValue !== undefined) return part.elseValue;
        return g;
      })
      .join('');
  });
}

/** The text a snippet inserts when every tabstop keeps its given value or default. */
export function resolveSnippet(body: string | string[], values: SnippetValues = {}): string {
  const nodes = parseSnippet(body);
  const defaults = new Map<number, SnippetNode[] | string>();
  const collect = (list: SnippetNode[]) => {
    for (const n of list) {
      if (n.type === 'placeholder') {
        if (!defaults.has(n.index)) defaults.set(n.index, n.children);
        collect(n.children);
      } else if (n.type === 'choice') {
        if (!defaults.has(n.index)) defaults.set(n.index, n.options[0] ?? '');
      } else if (n.type === 'variable' && n.children) collect(n.children);
    }
  };
  collect(nodes);

  const resolving = new Set<number>();
  const tabstopValue = (index: number): string => {
    const given = values.placeholders?.[index];
    if (given !== undefined) return given;
    const d = defaults.get(index);
    if (d === undefined || typeof d === 'string') return d ?? '';
    if (resolving.has(index)) return ''; // ${1:${1}} — no infinite recursion on self-references
    resolving.add(index);
    try {
      return render(d);
    } finally {
      resolving.delete(index);
    }
  };
  const render = (list: SnippetNode[]): string =>
    list
      .map((n) => {
        switch (n.type) {
          case 'text':
            return n.value;
          case 'tabstop':
            return n.transform ? applyTransform(tabstopValue(n.index), n.transform) : tabstopValue(n.index);
          case 'placeholder':
          case 'choice':
            return tabstopValue(n.index);
          case 'variable': {
            const v = values.variables?.[n.name] ?? (n.children ? render(n.children) : '');
            return n.transform ? applyTransform(v, n.transform) : v;
          }
        }
      })
      .join('');
  return render(nodes);
}
