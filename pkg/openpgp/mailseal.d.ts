// "mailseal/openpgp": the OpenPGP-only build, with the same API and types as "mailseal".
// S/MIME keys are refused (a MailsealError with code "standard_not_enabled"), S/MIME
// messages open with a "not enabled" verdict, and `standards()` says what the build includes.
export * from "../mailseal.js";
export { default } from "../mailseal.js";
