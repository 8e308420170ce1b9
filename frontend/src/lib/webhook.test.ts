import { createHmac } from "node:crypto";

import { afterEach, describe, expect, test, vi } from "vitest";

import {
  curlCommand,
  executionIdOf,
  hookHeaders,
  hookUrl,
  interestingHeaders,
  methodTakesBody,
  prettyBody,
  shellQuote,
  signHook,
} from "./webhook";

const SECRET = `whs_${"0123456789abcdef".repeat(4)}`;
const TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";

/* What the server computes (shared/webhook.c webhook_sign), by node:crypto. */
function expected(secret: string, ts: number, body: string) {
  return `sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("hookUrl", () => {
  test.each([
    ["http://127.0.0.1:8080", `/hooks/${TOKEN}`],
    ["http://127.0.0.1:8080/", `/hooks/${TOKEN}`],
    ["http://127.0.0.1:8080", `hooks/${TOKEN}`],
  ])("%s + %s", (origin, path) => {
    expect(hookUrl(origin, path)).toBe(`http://127.0.0.1:8080/hooks/${TOKEN}`);
  });
});

describe("signHook", () => {
  test("signs timestamp.body with HMAC-SHA256 (as node:crypto computes it)", async () => {
    const body = '{"name": "Ada"}';
    await expect(signHook(SECRET, 1767225600, body)).resolves.toBe(
      expected(SECRET, 1767225600, body),
    );
  });

  test("signs the same in a page without crypto.subtle (plain HTTP)", async () => {
    vi.stubGlobal("crypto", {});
    const body = '{"text": "héllo ✓"}';
    await expect(signHook(SECRET, 1767225601, body)).resolves.toBe(
      expected(SECRET, 1767225601, body),
    );
  });

  test("an empty body signs timestamp and a dot", async () => {
    await expect(signHook(SECRET, 42, "")).resolves.toBe(expected(SECRET, 42, ""));
  });
});

describe("hookHeaders", () => {
  const body = '{"a": 1}';

  test("mode none: only the content type", async () => {
    expect(await hookHeaders({ method: "POST", body, authMode: "none", secret: "" }, 1)).toEqual({
      "Content-Type": "application/json",
    });
  });

  test("mode secret: the secret in X-Fragent-Secret", async () => {
    expect(
      await hookHeaders({ method: "PUT", body, authMode: "secret", secret: SECRET }, 1),
    ).toEqual({ "Content-Type": "application/json", "X-Fragent-Secret": SECRET });
  });

  test("mode hmac: the whole-second timestamp and its signature", async () => {
    const h = await hookHeaders({ method: "POST", body, authMode: "hmac", secret: SECRET }, 1700.9);
    expect(h["X-Fragent-Timestamp"]).toBe("1700");
    expect(h["X-Fragent-Signature"]).toBe(expected(SECRET, 1700, body));
  });

  test("GET sends no body: no content type, the signature covers an empty body", async () => {
    const h = await hookHeaders({ method: "GET", body, authMode: "hmac", secret: SECRET }, 5);
    expect(h["Content-Type"]).toBeUndefined();
    expect(h["X-Fragent-Signature"]).toBe(expected(SECRET, 5, ""));
    expect(methodTakesBody("GET")).toBe(false);
    expect(methodTakesBody("DELETE")).toBe(true);
  });
});

describe("shellQuote and curlCommand", () => {
  const url = `http://127.0.0.1:8080/hooks/${TOKEN}`;

  test.each([
    ["plain", "'plain'"],
    ["", "''"],
    ["it's", "'it'\\''s'"],
    ['$HOME `x` "q"', "'$HOME `x` \"q\"'"],
  ])("shellQuote(%j)", (s, q) => {
    expect(shellQuote(s)).toBe(q);
  });

  test("mode none: a one-command POST with the JSON body", () => {
    expect(curlCommand(url, { method: "POST", body: '{"it\'s": 1}', authMode: "none", secret: "" }))
      .toBe(`curl -i -X POST '${url}' \\
  -H 'Content-Type: application/json' \\
  --data-raw '{"it'\\''s": 1}'`);
  });

  test("mode secret: the secret in a variable, a placeholder when unknown", () => {
    const cmd = curlCommand(url, { method: "GET", body: "{}", authMode: "secret", secret: "" });
    expect(cmd).toBe(`SECRET='<your secret>'
curl -i -X GET '${url}' \\
  -H "X-Fragent-Secret: $SECRET"`);
  });

  test("mode hmac: signs at run time with date and openssl", () => {
    const cmd = curlCommand(url, { method: "POST", body: "{}", authMode: "hmac", secret: SECRET });
    expect(cmd.split("\n")).toEqual([
      `SECRET='${SECRET}'`,
      "BODY='{}'",
      "TS=$(date +%s)",
      `SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.*= //')`,
      `curl -i -X POST '${url}' \\`,
      "  -H 'Content-Type: application/json' \\",
      '  -H "X-Fragent-Timestamp: $TS" \\',
      '  -H "X-Fragent-Signature: sha256=$SIG" \\',
      '  --data-raw "$BODY"',
    ]);
  });
});

describe("showing the answer", () => {
  test("interestingHeaders drops the transport's and sorts by name", () => {
    expect(
      interestingHeaders([
        ["Date", "Thu, 03 Dec 2026 10:00:00 GMT"],
        ["X-Fragent-Execution-Id", "e1"],
        ["content-type", "application/json"],
        ["Content-Security-Policy", "default-src 'none'"],
        ["Location", "/api/v1/executions/e1"],
        ["content-length", "80"],
        ["X-Frame-Options", "DENY"],
        ["Referrer-Policy", "no-referrer"],
      ]),
    ).toEqual([
      ["content-type", "application/json"],
      ["location", "/api/v1/executions/e1"],
      ["x-fragent-execution-id", "e1"],
    ]);
  });

  test.each([
    ['{"a":1,"b":[2]}', "application/json", '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}'],
    ['{"title":"Gone"}', "application/problem+json", '{\n  "title": "Gone"\n}'],
    ["[1]", "text/plain", "[\n  1\n]"],
    ["Hello, Ada!", "text/plain", "Hello, Ada!"],
    ["{not json", "application/json", "{not json"],
    ["", "application/json", ""],
  ])("prettyBody(%j, %s)", (text, ctype, shown) => {
    expect(prettyBody(text, ctype)).toBe(shown);
  });

  test("executionIdOf reads a 202's execution_id", () => {
    expect(executionIdOf('{"execution_id":"e1","status":"queued","url":"/x"}')).toBe("e1");
    expect(executionIdOf('{"status":"queued"}')).toBeNull();
    expect(executionIdOf("Hello")).toBeNull();
    expect(executionIdOf('{"execution_id": 3}')).toBeNull();
  });
});
