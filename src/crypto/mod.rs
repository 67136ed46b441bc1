//! Cryptographic building blocks shared by both standards.
//!
//! | module | what |
//! |---|---|
//! | `rsa_pkcs1` | RSA PKCS#1 v1.5 decryption hardened against Marvin: blinding, constant-time decoding, implicit rejection |

pub(crate) mod rsa_pkcs1;
