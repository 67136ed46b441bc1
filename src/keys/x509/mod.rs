//! X.509 certificates as the keyring judges them, shared with the S/MIME engine: the path from
//! a certificate to a trust anchor of the keyring (`chain`), the CRLs (`revocation`) and OCSP
//! answers (`ocsp`) the host fetched, name and extension constraints (`constraints`), and
//! signature checks (`signature`, over the digests of `hash`).
//!
//! Here, below the engines, because the keyring itself needs them: listing a certificate as
//! chained, learning a sender's certificates, checking a CRL or OCSP answer on import.

pub(crate) mod cert;
pub(crate) mod chain;
pub(crate) mod constraints;
mod hash;
pub(crate) mod ocsp;
pub(crate) mod revocation;
pub(crate) mod signature;

pub(crate) use hash::Hash;
