import { createHash, createHmac } from "node:crypto";

import { describe, expect, test } from "vitest";

import { hmacSha256, sha256, toHex } from "./sha256";

const enc = new TextEncoder();

describe("sha256", () => {
  test.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ],
  ])("the FIPS 180-4 vector %j", (msg, hex) => {
    expect(toHex(sha256(enc.encode(msg)))).toBe(hex);
  });

  test("agrees with node:crypto at every length around the block boundaries", () => {
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
      expect(toHex(sha256(data)), `length ${n}`).toBe(
        createHash("sha256").update(data).digest("hex"),
      );
    }
  });
});

describe("hmacSha256", () => {
  test("RFC 4231 test case 2", () => {
    expect(toHex(hmacSha256(enc.encode("Jefe"), enc.encode("what do ya want for nothing?")))).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  test.each([
    ["short key", "k"],
    ["64-byte key", "k".repeat(64)],
    ["key longer than a block", "k".repeat(131)],
    ["webhook secret", `whs_${"ab".repeat(32)}`],
  ])("agrees with node:crypto for a %s", (_, key) => {
    const msg = '1767225600.{"name":"Ada","emoji":"👋"}';
    expect(toHex(hmacSha256(enc.encode(key), enc.encode(msg)))).toBe(
      createHmac("sha256", key).update(msg).digest("hex"),
    );
  });
});
