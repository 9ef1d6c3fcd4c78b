// A small, strict XML reader for structured documents such as KSeF e-invoices. It exists because
// the same code must run in the browser, in Node and in PocketBase's JS VM (which has no
// DOMParser, no Buffer and no npm packages at run time), and because KSeF files need only a
// subset of XML: elements, attributes, text, the five predefined and numeric entities, CDATA,
// comments and processing instructions. Namespace prefixes are kept apart from local names so
// callers can match on local names; namespace declarations stay available as xmlns attributes.
//
// Strict: anything malformed is an XmlError with line and column, never a best guess. DOCTYPE is
// refused outright (no DTDs, no entity expansion).

export interface XmlElement {
  /** Local name, without the namespace prefix. */
  name: string;
  /** Namespace prefix as written ("" when none). */
  prefix: string;
  /** Attributes by their name as written, including xmlns declarations; values decoded. */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** All text directly inside this element (entities decoded, CDATA as is), untrimmed. */
  text: string;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
    this.name = "XmlError";
  }
}

export interface XmlOptions {
  /** Longest accepted document in characters; default 10 MB. */
  maxLength?: number;
  /** Deepest accepted nesting; default 64. */
  maxDepth?: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?$/;
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function position(source: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

function fail(source: string, at: number, message: string): never {
  const p = position(source, at);
  throw new XmlError(message, p.line, p.column);
}

function decodeEntities(source: string, raw: string, at: number): string {
  if (raw.indexOf("&") < 0) return raw;
  return raw.replace(/&([^;&<\s]*);?/g, (whole, ref: string, offset: number) => {
    if (!whole.endsWith(";")) fail(source, at + offset, `Unescaped "&" (write &amp;)`);
    if (Object.prototype.hasOwnProperty.call(PREDEFINED, ref)) return PREDEFINED[ref];
    const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
    if (!m) fail(source, at + offset, `Unknown entity "&${ref};"`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2], 10);
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) fail(source, at + offset, `Character reference "&${ref};" is not an allowed XML character`);
    return String.fromCodePoint(code);
  });
}

function splitName(qname: string): { prefix: string; name: string } {
  const colon = qname.indexOf(":");
  return colon < 0 ? { prefix: "", name: qname } : { prefix: qname.slice(0, colon), name: qname.slice(colon + 1) };
}

function isSpace(ch: string): boolean {
  return ch === " " || ch === "\n" || ch === "\r" || ch === "\t";
}

/** Parses a whole document and returns its root element; throws XmlError when malformed. */
export function parseXml(input: string, options: XmlOptions = {}): XmlElement {
  if (typeof input !== "string") throw new XmlError("Not a text document", 1, 1);
  const maxLength = options.maxLength ?? 10 * 1024 * 1024;
  const maxDepth = options.maxDepth ?? 64;
  if (input.length > maxLength) throw new XmlError(`Document longer than ${maxLength} characters`, 1, 1);
  const source = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const len = source.length;
  let pos = 0;
  let root: XmlElement | null = null;
  const stack: Array<{ el: XmlElement; qname: string; at: number }> = [];

  const skipMarkup = (): boolean => {
    // Comments and processing instructions (incl. the XML declaration) anywhere.
    if (source.startsWith("<!--", pos)) {
      const end = source.indexOf("-->", pos + 4);
      if (end < 0) fail(source, pos, "Unterminated comment");
      pos = end + 3;
      return true;
    }
    if (source.startsWith("<?", pos)) {
      const end = source.indexOf("?>", pos + 2);
      if (end < 0) fail(source, pos, "Unterminated processing instruction");
      if (/^<\?xml[\s?]/i.test(source.slice(pos, pos + 6)) && (pos !== 0 || root !== null)) {
        fail(source, pos, "The XML declaration must be at the very start");
      }
      pos = end + 2;
      return true;
    }
    if (source.startsWith("<!DOCTYPE", pos) || source.startsWith("<!doctype", pos)) fail(source, pos, "DOCTYPE is not allowed");
    return false;
  };

  while (pos < len) {
    const lt = source.indexOf("<", pos);
    // Text up to the next tag.
    const textEnd = lt < 0 ? len : lt;
    if (textEnd > pos) {
      const raw = source.slice(pos, textEnd);
      if (stack.length === 0) {
        if (/[^ \n\r\t]/.test(raw)) fail(source, pos + raw.search(/[^ \n\r\t]/), root ? "Text after the root element" : "Text before the root element");
      } else {
        if (raw.indexOf("]]>") >= 0) fail(source, pos + raw.indexOf("]]>"), `"]]>" is not allowed in text`);
        stack[stack.length - 1].el.text += decodeEntities(source, raw, pos);
      }
      pos = textEnd;
    }
    if (pos >= len) break;
    if (skipMarkup()) continue;
    if (source.startsWith("<![CDATA[", pos)) {
      if (stack.length === 0) fail(source, pos, "CDATA outside the root element");
      const end = source.indexOf("]]>", pos + 9);
      if (end < 0) fail(source, pos, "Unterminated CDATA section");
      stack[stack.length - 1].el.text += source.slice(pos + 9, end);
      pos = end + 3;
      continue;
    }
    if (source.startsWith("<!", pos)) fail(source, pos, "Unsupported declaration");
    if (source.startsWith("</", pos)) {
      const gt = source.indexOf(">", pos);
      if (gt < 0) fail(source, pos, "Unterminated end tag");
      const qname = source.slice(pos + 2, gt).replace(/[ \n\r\t]+$/, "");
      const open = stack.pop();
      if (!open) fail(source, pos, `End tag </${qname}> without a start tag`);
      if (open.qname !== qname) fail(source, pos, `End tag </${qname}> does not match <${open.qname}>`);
      pos = gt + 1;
      continue;
    }
    // Start tag.
    const tagAt = pos;
    pos++;
    let nameEnd = pos;
    while (nameEnd < len && !isSpace(source[nameEnd]) && source[nameEnd] !== "/" && source[nameEnd] !== ">") nameEnd++;
    const qname = source.slice(pos, nameEnd);
    if (!NAME.test(qname)) fail(source, pos, qname ? `Invalid element name "${qname}"` : "Missing element name");
    if (stack.length === 0 && root) fail(source, tagAt, "A second root element");
    if (stack.length >= maxDepth) fail(source, tagAt, `Elements nested deeper than ${maxDepth}`);
    pos = nameEnd;
    const el: XmlElement = { ...splitName(qname), attributes: {}, children: [], text: "" };
    let selfClosing = false;
    for (;;) {
      const before = pos;
      while (pos < len && isSpace(source[pos])) pos++;
      if (pos >= len) fail(source, tagAt, `Unterminated start tag <${qname}>`);
      if (source[pos] === ">") {
        pos++;
        break;
      }
      if (source.startsWith("/>", pos)) {
        pos += 2;
        selfClosing = true;
        break;
      }
      if (pos === before) fail(source, pos, "Attributes must be separated by whitespace");
      let attrEnd = pos;
      while (attrEnd < len && !isSpace(source[attrEnd]) && source[attrEnd] !== "=" && source[attrEnd] !== ">" && source[attrEnd] !== "/") attrEnd++;
      const attr = source.slice(pos, attrEnd);
      if (!NAME.test(attr)) fail(source, pos, `Invalid attribute name "${attr}"`);
      pos = attrEnd;
      while (pos < len && isSpace(source[pos])) pos++;
      if (source[pos] !== "=") fail(source, pos, `Attribute "${attr}" has no value`);
      pos++;
      while (pos < len && isSpace(source[pos])) pos++;
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail(source, pos, `Value of attribute "${attr}" must be quoted`);
      const close = source.indexOf(quote, pos + 1);
      if (close < 0) fail(source, pos, `Unterminated value of attribute "${attr}"`);
      const raw = source.slice(pos + 1, close);
      if (raw.indexOf("<") >= 0) fail(source, pos + 1 + raw.indexOf("<"), `"<" in the value of attribute "${attr}"`);
      if (Object.prototype.hasOwnProperty.call(el.attributes, attr)) fail(source, pos, `Duplicate attribute "${attr}"`);
      // Whitespace in attribute values is normalised to spaces, as XML parsers do.
      el.attributes[attr] = decodeEntities(source, raw, pos + 1).replace(/[\n\r\t]/g, " ");
      pos = close + 1;
    }
    if (stack.length === 0) root = el;
    else stack[stack.length - 1].el.children.push(el);
    if (!selfClosing) stack.push({ el, qname, at: tagAt });
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    fail(source, open.at, `Element <${open.qname}> is never closed`);
  }
  if (!root) fail(source, pos, "No root element");
  return root;
}

/** The first child with this local name. */
export function childElement(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (let i = 0; i < el.children.length; i++) if (el.children[i].name === name) return el.children[i];
  return undefined;
}

/** All children with this local name. */
export function childElements(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** The element at a "/"-separated path of local names below `el` ("Fa/Platnosc/TerminPlatnosci"). */
export function elementAt(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let current = el;
  const parts = path.split("/");
  for (let i = 0; i < parts.length && current; i++) current = childElement(current, parts[i]);
  return current;
}

/** Trimmed text of the element at a path, or undefined when there is no such element. */
export function textAt(el: XmlElement | undefined, path: string): string | undefined {
  const found = elementAt(el, path);
  return found ? found.text.trim() : undefined;
}

/** The namespace URI an element's prefix is bound to on that element or its root (KSeF declares them on the root). */
export function namespaceOf(el: XmlElement, root: XmlElement = el): string | undefined {
  const key = el.prefix ? `xmlns:${el.prefix}` : "xmlns";
  return el.attributes[key] ?? root.attributes[key];
}
