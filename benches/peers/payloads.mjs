// Deterministic, realistic RFC 5322/MIME message of exactly n bytes, CRLF line endings:
// small sizes = single text/plain (quoted-printable) part; larger = multipart/mixed with
// multipart/alternative (text/plain + text/html) and a base64 application/pdf attachment filling the rest.
// (mailseal addition: moved out of bench.mjs so that benches/browser times the same bytes in Chromium.)
export function mimePayload(n) {
  let seed = 0x9e3779b9 ^ n;
  const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
  const words = ('the of and to in is that for it as was with be by on not he this are or his from at which but have an they ' +
    'you were her all she there would their we him been has when who will more no if out so said what up its about into than ' +
    'them can only other new some could time these two may then do first any my now such like our over man me even most made ' +
    'after also did many before must through back years where much your way well down should because each just those people ' +
    'quarterly report budget meeting schedule attached please review invoice contract project deadline regards thanks ' +
    'Grüße naïve café résumé Zürich').split(' ');
  const sentence = () => { const k = 6 + Math.floor(rnd() * 12); const w = []; for (let i = 0; i < k; i++) w.push(words[Math.floor(rnd() * words.length)]); const s = w.join(' '); return s[0].toUpperCase() + s.slice(1) + '.'; };
  const qpLines = (bytesWanted) => { // quoted-printable-ish text, lines <= 76
    const out = []; let len = 0;
    while (len < bytesWanted) {
      let para = ''; const ns = 2 + Math.floor(rnd() * 4); for (let i = 0; i < ns; i++) para += (i ? ' ' : '') + sentence();
      para = Buffer.from(para, 'utf8').toString('latin1').replace(/[\x80-\xff=]/g, (c) => '=' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
      while (para.length > 75) { let cut = para.lastIndexOf(' ', 74); if (cut < 40) cut = 74; while (/=.?$/.test(para.slice(cut - 2, cut))) cut--; out.push(para.slice(0, cut) + (para[cut] === ' ' ? ' =' : '=')); len += out[out.length - 1].length + 2; para = para.slice(para[cut] === ' ' ? cut + 1 : cut); }
      out.push(para, ''); len += para.length + 4;
    }
    return out.join('\r\n');
  };
  const headers = [
    'Return-Path: <alice@example.org>',
    'Received: from mail.example.org (mail.example.org [192.0.2.10])\r\n\tby mx.example.net with ESMTPS id 4Xbench01\r\n\tfor <bob@example.net>; Tue, 14 May 2024 09:12:44 +0000',
    'From: Alice Example <alice@example.org>', 'To: Bob Example <bob@example.net>', 'Cc: Carol <carol@example.com>',
    'Subject: =?UTF-8?Q?Quarterly_report_=E2=80=93_draft_for_review?=', 'Date: Tue, 14 May 2024 11:12:40 +0200',
    'Message-ID: <20240514091240.bench.0001@example.org>', 'MIME-Version: 1.0', 'X-Mailer: peerbench 1.0',
  ].join('\r\n') + '\r\n';
  const enc = (s) => Buffer.from(s, 'latin1');
  if (n <= 8192) {
    const head = headers + 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n';
    let body = qpLines(n);
    const buf = enc(head + body);
    return new Uint8Array(buf.subarray(0, n)); // truncated mid-line at the exact size
  }
  const B1 = '=_bench_mixed_7f3a9c', B2 = '=_bench_alt_51e2d0';
  const plain = qpLines(2500);
  const html = '<html><head><meta charset="utf-8"></head><body>\r\n' + plain.split('\r\n\r\n').map((p) => '<p>' + p.replace(/=\r\n/g, '') + '</p>').join('\r\n') + '\r\n</body></html>';
  const pre = headers + `Content-Type: multipart/mixed; boundary="${B1}"\r\n\r\nThis is a multi-part message in MIME format.\r\n` +
    `--${B1}\r\nContent-Type: multipart/alternative; boundary="${B2}"\r\n\r\n` +
    `--${B2}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${plain}\r\n` +
    `--${B2}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${html}\r\n` +
    `--${B2}--\r\n\r\n--${B1}\r\nContent-Type: application/pdf; name="Q2-report.pdf"\r\nContent-Transfer-Encoding: base64\r\n` +
    `Content-Disposition: attachment; filename="Q2-report.pdf"\r\n\r\n`;
  const post = `\r\n--${B1}--\r\n`;
  const room = n - pre.length - post.length;
  // attachment: base64 of pseudo-random "PDF" bytes, 76-char lines + CRLF, trimmed to fit exactly
  const rawLen = Math.ceil(room / 78 * 57) + 64;
  const raw = Buffer.alloc(rawLen); raw.write('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  for (let i = 16; i < rawLen; i++) raw[i] = (rnd() * 256) | 0;
  const b64 = raw.toString('base64').replace(/.{76}/g, '$&\r\n');
  let att = b64.slice(0, room);
  if (att.endsWith('\r')) att = att.slice(0, -1) + 'A';
  const buf = enc(pre + att + post);
  if (buf.length !== n) throw new Error(`mime payload size ${buf.length} != ${n}`);
  return new Uint8Array(buf);
}
