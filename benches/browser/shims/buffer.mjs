// The part of Node's Buffer that peerbench's adapters use (node-forge's binary strings,
// mailseal's base64 and latin1 MIME glue), on browser primitives. esbuild injects it where an
// adapter names `Buffer`. latin1 is done by hand: TextDecoder's "latin1" is windows-1252.
const CHUNK = 0x8000; // String.fromCharCode.apply stays far below the engine's argument limit

export class Buffer extends Uint8Array {
  /** Buffer.from(arrayBuffer, byteOffset, length) (a view, as in Node) or Buffer.from(string, 'latin1' | 'base64'). */
  static from(source, offsetOrEncoding, length) {
    if (typeof source !== 'string') return new Buffer(source, offsetOrEncoding, length);
    if (offsetOrEncoding === 'base64') {
      const bytes = Uint8Array.fromBase64(source);
      return new Buffer(bytes.buffer, 0, bytes.length);
    }
    if (offsetOrEncoding === 'latin1') {
      const bytes = new Buffer(source.length);
      for (let i = 0; i < source.length; i++) bytes[i] = source.charCodeAt(i);
      return bytes;
    }
    throw new Error(`Buffer shim: no ${offsetOrEncoding} encoding`);
  }

  toString(encoding) {
    if (encoding === 'base64') return this.toBase64();
    if (encoding === 'latin1') {
      const parts = [];
      for (let i = 0; i < this.length; i += CHUNK) parts.push(String.fromCharCode.apply(null, this.subarray(i, i + CHUNK)));
      return parts.join('');
    }
    throw new Error(`Buffer shim: no ${encoding} encoding`);
  }
}
