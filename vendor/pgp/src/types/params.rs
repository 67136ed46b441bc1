mod encrypted_secret;
mod plain_secret;
mod public;
mod secret;

pub use self::{
    encrypted_secret::*,
    plain_secret::*,
    public::{ecdh::EcdhKdfType, *},
    secret::*,
};
