// Base64 (RFC 4648 §4) for bytes in workerd, which has atob/btoa but no Buffer.
export const base64 = {
  encode(bytes) {
    let out = "";
    // Chunks keep String.fromCharCode's argument list short; a multiple of 3 octets each, so
    // that only the last chunk can end in "=" padding.
    const step = 3 * 0x2aaa;
    for (let i = 0; i < bytes.length; i += step) {
      out += btoa(String.fromCharCode.apply(null, bytes.subarray(i, i + step)));
    }
    return out;
  },
  decode(text) {
    const bin = atob(text.replace(/\s+/g, ""));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  },
};
