import { describe, expect, it } from "vitest";
import { childElement, childElements, elementAt, namespaceOf, parseXml, textAt, XmlError } from "../../src/domain/xml";

describe("parseXml", () => {
  it("reads elements, attributes, text, entities, CDATA, comments and processing instructions", () => {
    const root = parseXml(
      `\ufeff<?xml version="1.0" encoding="UTF-8"?>
<!-- leading comment -->
<?xml-stylesheet href="x.xsl"?>
<a:Root xmlns:a="urn:a" xmlns="urn:default" id='1' note="x &amp; y &lt;z&gt; &quot;q&quot; &apos;s&apos;">
  <Item n="1">Tom &amp; Jerry</Item>
  <Item n="2"><![CDATA[<raw> & unescaped]]></Item>
  <Item n="3">&#65;&#x42;&#x1F600;</Item>
  <!-- inner comment -->
  <Empty/>
  <Empty2 />
  <a:Nested><Deep>x</Deep></a:Nested>
  <Multi>line
one</Multi>
</a:Root>
<!-- trailing comment -->
`,
    );
    expect(root.name).toBe("Root");
    expect(root.prefix).toBe("a");
    expect(root.attributes).toEqual({ "xmlns:a": "urn:a", xmlns: "urn:default", id: "1", note: `x & y <z> "q" 's'` });
    expect(childElements(root, "Item").map((e) => e.text)).toEqual(["Tom & Jerry", "<raw> & unescaped", "AB\u{1F600}"]);
    expect(childElements(root, "Item").map((e) => e.attributes.n)).toEqual(["1", "2", "3"]);
    expect(childElement(root, "Empty")).toMatchObject({ name: "Empty", children: [], text: "" });
    expect(childElement(root, "Empty2")).toBeDefined();
    expect(textAt(root, "Nested/Deep")).toBe("x");
    expect(elementAt(root, "Nested")?.prefix).toBe("a");
    expect(textAt(root, "Multi")).toBe("line\none");
    expect(textAt(root, "Missing/Path")).toBeUndefined();
    expect(namespaceOf(root)).toBe("urn:a");
    expect(namespaceOf(childElement(root, "Item")!, root)).toBe("urn:default");
  });

  it("keeps Polish text exactly", () => {
    expect(parseXml("<N>Żółć gęślą jaźń – „cudzysłów”</N>").text).toBe("Żółć gęślą jaźń – „cudzysłów”");
  });

  it("normalises whitespace inside attribute values", () => {
    expect(parseXml('<a b="x\ny\tz"/>').attributes.b).toBe("x y z");
  });

  it.each([
    ["", "No root element", 1, 1],
    ["   ", "No root element", 1, 4],
    ["just text", "Text before the root element", 1, 1],
    ["<a>", "Element <a> is never closed", 1, 1],
    ["<a><b></a>", "End tag </a> does not match <b>", 1, 7],
    ["<a></b>", "End tag </b> does not match <a>", 1, 4],
    ["</a>", "End tag </a> without a start tag", 1, 1],
    ["<a/><b/>", "A second root element", 1, 5],
    ["<a/>text", "Text after the root element", 1, 5],
    ["<a>\n  x & y\n</a>", `Unescaped "&"`, 2, 5],
    ["<a>&nbsp;</a>", 'Unknown entity "&nbsp;"', 1, 4],
    ["<a>&#0;</a>", "is not an allowed XML character", 1, 4],
    ["<a>&#xD800;</a>", "is not an allowed XML character", 1, 4],
    ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "DOCTYPE is not allowed", 1, 1],
    ["<a><!ELEMENT b ANY></a>", "Unsupported declaration", 1, 4],
    ["<a b=c/>", 'Value of attribute "b" must be quoted', 1, 6],
    ['<a b="1" b="2"/>', 'Duplicate attribute "b"', 1, 12],
    ['<a b="1"c="2"/>', "Attributes must be separated by whitespace", 1, 9],
    ['<a b="x<y"/>', '"<" in the value of attribute "b"', 1, 8],
    ['<a b="x/>', 'Unterminated value of attribute "b"', 1, 6],
    ["<a b/>", 'Attribute "b" has no value', 1, 5],
    ["<1a/>", 'Invalid element name "1a"', 1, 2],
    ["< a/>", "Missing element name", 1, 2],
    ["<a", "Unterminated start tag <a>", 1, 1],
    ["<a></a", "Unterminated end tag", 1, 4],
    ["<a><!-- x </a>", "Unterminated comment", 1, 4],
    ["<a><![CDATA[x</a>", "Unterminated CDATA section", 1, 4],
    ["<a>]]></a>", `"]]>" is not allowed in text`, 1, 4],
    ["<a/>\n<?xml version='1.0'?>", "The XML declaration must be at the very start", 2, 1],
    ["<a><?pi x</a>", "Unterminated processing instruction", 1, 4],
    ["<![CDATA[x]]><a/>", "CDATA outside the root element", 1, 1],
  ])("rejects %j: %s", (xml, message, line, column) => {
    let error: unknown;
    try {
      parseXml(xml);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(XmlError);
    const e = error as XmlError;
    expect(e.message).toContain(message);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toContain(`(line ${line}, column ${column})`);
  });

  it("limits depth and length", () => {
    const deep = "<a>".repeat(70) + "</a>".repeat(70);
    expect(() => parseXml(deep)).toThrow(/nested deeper than 64/);
    expect(() => parseXml(deep, { maxDepth: 100 })).not.toThrow();
    expect(() => parseXml("<a>" + "x".repeat(100) + "</a>", { maxLength: 50 })).toThrow(/longer than 50/);
  });

  it("rejects non-text input with an XmlError", () => {
    expect(() => parseXml(undefined as unknown as string)).toThrow(XmlError);
  });

  it("handles a large document quickly", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `<FaWiersz><NrWierszaFa>${i + 1}</NrWierszaFa><P_7>Poz. ${i} &amp; więcej</P_7></FaWiersz>`).join("\n");
    const root = parseXml(`<Fa>${rows}</Fa>`);
    expect(root.children).toHaveLength(5000);
    expect(textAt(root.children[4999], "P_7")).toBe("Poz. 4999 & więcej");
  });
});
