// AWS Signature Version 4 (src/cli/s3.ts) against published vectors: the examples in Amazon S3's API
// reference, "Signature Calculations for the Authorization Header: Transferring Payload in a Single
// Chunk" (GET Object, PUT Object, GET Bucket Lifecycle, GET Bucket/List Objects, with AWS's example
// credentials at 2013-05-24), and the SigV4 test suite's get-vanilla, post-vanilla and
// get-vanilla-query-order-key-case. Plus the object URLs PocketBase's keys are sent to.
import { describe, expect, it } from "vitest";
import { amzDate, EMPTY_SHA256, objectUrl, sha256Hex, signV4, uriEncode, type S3Config } from "../../src/cli/s3";

const S3_DOCS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "s3" };
const S3_DOCS_AT = new Date("2013-05-24T00:00:00Z");
const HOST = "https://examplebucket.s3.amazonaws.com";

const SUITE = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "service" };
const SUITE_AT = new Date("2015-08-30T12:36:00Z");

describe("SigV4: Amazon S3's documented examples", () => {
  it("GET Object (a range of test.txt): canonical request, string to sign and signature as documented", () => {
    const s = signV4({ method: "GET", url: `${HOST}/test.txt`, headers: { Range: "bytes=0-9", "x-amz-content-sha256": EMPTY_SHA256 }, payloadHash: EMPTY_SHA256 }, S3_DOCS, S3_DOCS_AT);
    expect(s.canonicalRequest).toBe([
      "GET", "/test.txt", "",
      "host:examplebucket.s3.amazonaws.com", "range:bytes=0-9", `x-amz-content-sha256:${EMPTY_SHA256}`, "x-amz-date:20130524T000000Z", "",
      "host;range;x-amz-content-sha256;x-amz-date", EMPTY_SHA256,
    ].join("\n"));
    expect(s.stringToSign).toBe("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    expect(s.signature).toBe("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    expect(s.headers).toEqual({
      range: "bytes=0-9",
      "x-amz-content-sha256": EMPTY_SHA256,
      "x-amz-date": "20130524T000000Z",
      authorization: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    });
  });

  it("PUT Object (test$file.text, a signed payload, a Date and a storage-class header)", () => {
    const body = "Welcome to Amazon S3.";
    expect(sha256Hex(body)).toBe("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    const s = signV4({
      method: "PUT", url: `${HOST}/${uriEncode("test$file.text", true)}`, payloadHash: sha256Hex(body),
      headers: { Date: "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY", "x-amz-content-sha256": sha256Hex(body) },
    }, S3_DOCS, S3_DOCS_AT);
    expect(s.canonicalRequest.split("\n")[1]).toBe("/test%24file.text");
    expect(s.headers.authorization).toBe("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  });

  it.each([
    ["GET Bucket Lifecycle (a parameter without a value)", "/?lifecycle", "lifecycle=", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"],
    ["GET Bucket (List Objects), parameters sorted", "/?prefix=J&max-keys=2", "max-keys=2&prefix=J", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"],
  ])("%s", (_, path, query, signature) => {
    const s = signV4({ method: "GET", url: `${HOST}${path}`, headers: { "x-amz-content-sha256": EMPTY_SHA256 }, payloadHash: EMPTY_SHA256 }, S3_DOCS, S3_DOCS_AT);
    expect(s.canonicalRequest.split("\n")[2]).toBe(query);
    expect(s.signature).toBe(signature);
  });
});

describe("SigV4 test suite", () => {
  it.each([
    ["get-vanilla", "GET", "https://example.amazonaws.com/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"],
    ["post-vanilla", "POST", "https://example.amazonaws.com/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"],
    ["get-vanilla-query-order-key-case", "GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"],
  ])("%s", (_, method, url, signature) => {
    const s = signV4({ method, url, payloadHash: EMPTY_SHA256 }, SUITE, SUITE_AT);
    expect(s.headers).toEqual({
      "x-amz-date": "20150830T123600Z",
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    });
  });

  it("a changed secret, region or body changes the signature", () => {
    const base = signV4({ method: "GET", url: "https://example.amazonaws.com/", payloadHash: EMPTY_SHA256 }, SUITE, SUITE_AT).signature;
    expect(signV4({ method: "GET", url: "https://example.amazonaws.com/", payloadHash: EMPTY_SHA256 }, { ...SUITE, secretAccessKey: "x" }, SUITE_AT).signature).not.toBe(base);
    expect(signV4({ method: "GET", url: "https://example.amazonaws.com/", payloadHash: EMPTY_SHA256 }, { ...SUITE, region: "eu-central-1" }, SUITE_AT).signature).not.toBe(base);
    expect(signV4({ method: "GET", url: "https://example.amazonaws.com/", payloadHash: sha256Hex("x") }, SUITE, SUITE_AT).signature).not.toBe(base);
  });
});

describe("encoding and URLs", () => {
  it("encodes every byte but the unreserved ones, keeping slashes in keys", () => {
    expect(uriEncode("a b/ż$~._-")).toBe("a%20b%2F%C5%BC%24~._-");
    expect(uriEncode("a b/ż", true)).toBe("a%20b/%C5%BC");
    expect(amzDate(new Date("2026-11-25T01:02:03.456Z"))).toBe("20261125T010203Z");
  });

  const config: S3Config = { endpoint: "https://s3.eu-central-1.amazonaws.com", bucket: "hvac-files", region: "eu-central-1", accessKey: "a", secret: "b", forcePathStyle: false };
  it("puts PocketBase's key <collectionId>/<recordId>/<filename> under the bucket, path or virtual-hosted style", () => {
    const key = "hvacinvoices000/abc123def456ghi/faktura_x1y2z3.pdf";
    expect(objectUrl(config, key)).toBe("https://hvac-files.s3.eu-central-1.amazonaws.com/hvacinvoices000/abc123def456ghi/faktura_x1y2z3.pdf");
    expect(objectUrl({ ...config, endpoint: "http://127.0.0.1:9000/", forcePathStyle: true }, key)).toBe("http://127.0.0.1:9000/hvac-files/hvacinvoices000/abc123def456ghi/faktura_x1y2z3.pdf");
    expect(objectUrl({ ...config, endpoint: "http://minio:9000/s3", forcePathStyle: true }, "c/r/a b.png")).toBe("http://minio:9000/s3/hvac-files/c/r/a%20b.png");
  });
});
