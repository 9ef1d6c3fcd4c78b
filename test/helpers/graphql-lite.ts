// A small GraphQL parser for the tests: the query-document subset Weaviate's Get takes (selection
// sets, aliases, arguments with string / number / enum / list / object values), lexed as the GraphQL
// spec and Weaviate's parser (tailor-inc/graphql) do: raw control characters and line breaks inside
// a string are errors, escapes \" \\ \/ \b \f \n \r \t \uXXXX, anything else after \ is an error.
// Used to check that what src/domain/weaviate-search.ts builds parses to what was meant, and by the
// Weaviate stub to answer it.

export type GqlValue = string | number | boolean | null | { enum: string } | GqlValue[] | { [k: string]: GqlValue };

export interface GqlField {
  alias: string | null;
  name: string;
  args: Record<string, GqlValue>;
  selections: GqlField[];
}

export class GqlSyntaxError extends Error {
  constructor(readonly position: number, message: string) {
    super(`Syntax Error GraphQL request (${position}): ${message}`);
  }
}

type Tok = { kind: "punct" | "name" | "string" | "number" | "eof"; value: string; pos: number };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i <= src.length) {
    // Ignored tokens: BOM, white space, line terminators, commas, comments.
    while (i < src.length) {
      const c = src[i];
      if (c === "\uFEFF" || c === " " || c === "\t" || c === "\n" || c === "\r" || c === ",") i++;
      else if (c === "#") {
        while (i < src.length && src[i] !== "\n" && src[i] !== "\r") i++;
      } else break;
    }
    if (i >= src.length) {
      out.push({ kind: "eof", value: "", pos: i });
      return out;
    }
    const c = src[i];
    const code = c.charCodeAt(0);
    if (code < 0x20) throw new GqlSyntaxError(i, `Invalid character "\\u${code.toString(16).padStart(4, "0")}"`);
    if ("{}()[]:!$=@|&".includes(c)) {
      out.push({ kind: "punct", value: c, pos: i });
      i++;
    } else if (/[_A-Za-z]/.test(c)) {
      const m = /^[_A-Za-z][_0-9A-Za-z]*/.exec(src.slice(i))!;
      out.push({ kind: "name", value: m[0], pos: i });
      i += m[0].length;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i));
      if (!m) throw new GqlSyntaxError(i, "Invalid number");
      out.push({ kind: "number", value: m[0], pos: i });
      i += m[0].length;
    } else if (c === '"') {
      if (src.startsWith('"""', i)) throw new GqlSyntaxError(i, "block strings are not supported by this parser");
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new GqlSyntaxError(j, "Unterminated string.");
        const ch = src[j];
        const cc = ch.charCodeAt(0);
        if (ch === '"') break;
        if (ch === "\n" || ch === "\r") throw new GqlSyntaxError(j, "Unterminated string.");
        if (cc < 0x20 && ch !== "\t") throw new GqlSyntaxError(j, `Invalid character within String: "\\u${cc.toString(16).padStart(4, "0")}".`);
        if (ch === "\\") {
          const e = src[j + 1];
          const simple: Record<string, string> = { '"': '"', "/": "/", "\\": "\\", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
          if (e !== undefined && Object.prototype.hasOwnProperty.call(simple, e)) {
            value += simple[e];
            j += 2;
            continue;
          }
          if (e === "u" && /^[0-9A-Fa-f]{4}$/.test(src.slice(j + 2, j + 6))) {
            value += String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          throw new GqlSyntaxError(j, `Invalid character escape sequence: \\${e ?? ""}.`);
        }
        value += ch;
        j++;
      }
      out.push({ kind: "string", value, pos: i });
      i = j + 1;
    } else if (src.startsWith("...", i)) {
      throw new GqlSyntaxError(i, "fragments are not supported by this parser");
    } else {
      throw new GqlSyntaxError(i, `Unexpected character "${c}".`);
    }
  }
  return out;
}

/** Parses an anonymous query (`{...}` or `query [Name] {...}`) into its top-level fields. */
export function parseGraphql(src: string): GqlField[] {
  const toks = lex(src);
  let k = 0;
  const peek = () => toks[k];
  const expect = (kind: Tok["kind"], value?: string): Tok => {
    const t = toks[k];
    if (t.kind !== kind || (value !== undefined && t.value !== value)) {
      throw new GqlSyntaxError(t.pos, `Expected ${value ?? kind}, found ${t.kind === "eof" ? "<EOF>" : `${t.kind} "${t.value}"`}`);
    }
    k++;
    return t;
  };
  const isPunct = (v: string) => peek().kind === "punct" && peek().value === v;

  const value = (): GqlValue => {
    const t = peek();
    if (t.kind === "string") return (k++, t.value);
    if (t.kind === "number") return (k++, Number(t.value));
    if (t.kind === "name") {
      k++;
      if (t.value === "true") return true;
      if (t.value === "false") return false;
      if (t.value === "null") return null;
      return { enum: t.value };
    }
    if (isPunct("[")) {
      k++;
      const list: GqlValue[] = [];
      while (!isPunct("]")) list.push(value());
      k++;
      return list;
    }
    if (isPunct("{")) {
      k++;
      const obj: Record<string, GqlValue> = {};
      while (!isPunct("}")) {
        const n = expect("name").value;
        expect("punct", ":");
        if (Object.prototype.hasOwnProperty.call(obj, n)) throw new GqlSyntaxError(t.pos, `There can be only one input field named "${n}".`);
        obj[n] = value();
      }
      k++;
      return obj;
    }
    throw new GqlSyntaxError(t.pos, `Unexpected ${t.kind === "eof" ? "<EOF>" : `"${t.value}"`}`);
  };

  const selectionSet = (): GqlField[] => {
    expect("punct", "{");
    const fields: GqlField[] = [];
    while (!isPunct("}")) {
      let name = expect("name").value;
      let alias: string | null = null;
      if (isPunct(":")) {
        k++;
        alias = name;
        name = expect("name").value;
      }
      const args: Record<string, GqlValue> = {};
      if (isPunct("(")) {
        k++;
        while (!isPunct(")")) {
          const n = expect("name").value;
          expect("punct", ":");
          if (Object.prototype.hasOwnProperty.call(args, n)) throw new GqlSyntaxError(peek().pos, `There can be only one argument named "${n}".`);
          args[n] = value();
        }
        k++;
      }
      const selections = isPunct("{") ? selectionSet() : [];
      fields.push({ alias, name, args, selections });
    }
    k++;
    if (fields.length === 0) throw new GqlSyntaxError(peek().pos, "Expected Name, found }");
    return fields;
  };

  if (peek().kind === "name" && peek().value === "query") {
    k++;
    if (peek().kind === "name") k++;
  }
  const fields = selectionSet();
  expect("eof");
  return fields;
}
